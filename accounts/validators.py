from django.core.validators import RegexValidator

# Line breaks and other control characters in a one-line value break e-mail headers (a
# name goes into a subject line), CSV exports and PostgreSQL (which refuses NUL outright).
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f-\x9f]"

validate_one_line = RegexValidator(
    CONTROL_CHARACTERS,
    inverse_match=True,
    message="A name cannot contain line breaks or control characters.",
    code="control_characters",
)
