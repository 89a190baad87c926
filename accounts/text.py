"""What typed text may hold: one rule for one-line fields, one for multi-line fields, used
by every form (through `Form` and `ModelForm` here) and every import.

A one-line value (a name, a look-for, a room) is shown in lists, subject lines, CSV cells
and calendar titles. Control characters break those, and format characters are invisible:
a right-to-left override (U+202E) makes "chosen by Ana" read backwards, and a name of
zero-width spaces looks empty while it is not. So neither is allowed, with one exception:
the zero-width joiner and non-joiner between two letters, which Persian, Indic scripts and
emoji sequences need. A multi-line value (notes, feedback) may also hold line breaks and
tabs, and no other control character, nor the overrides that reorder what is shown.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator as NullCharacters
from django.utils.translation import gettext, gettext_noop

# Control (Cc), format (Cf), surrogate (Cs) and the line and paragraph separators (Zl, Zp).
_NEVER_ON_ONE_LINE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_JOINERS = {"\u200c", "\u200d"}
_LINE_BREAKS = {"\n", "\r", "\t"}
# Said in the reader's language when it is said (`gettext(REMOVE) % {"code": ...}`); a roster
# package's refusal keeps it untranslated, with its code, for whoever reads the page later.
REMOVE = gettext_noop("Remove the invisible or control characters (such as U+%(code)04X).")


def _is_joining(value: str, at: int) -> bool:
    before, after = value[at - 1 : at], value[at + 1 : at + 2]
    return bool(before.strip()) and bool(after.strip()) and not (before + after).isspace()


def one_line_offender(value: str) -> int | None:
    """The code point of the first character a one-line value may not hold, or None."""
    for at, character in enumerate(value):
        if unicodedata.category(character) not in _NEVER_ON_ONE_LINE:
            continue
        if character in _JOINERS and _is_joining(value, at):
            continue
        return ord(character)
    return None


def one_line_problem(value: str) -> str | None:
    """Why `value` cannot be a one-line value, or None."""
    code = one_line_offender(value)
    return None if code is None else gettext(REMOVE) % {"code": code}


# Embeddings, overrides and isolates make text display in an order other than it was
# typed (U+202E turns "fed" into what reads "def"); right-to-left scripts need none of them.
_STEERING = {chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def multi_line_problem(value: str) -> str | None:
    """Why `value` cannot be a multi-line value, or None."""
    for character in value:
        if character in _STEERING or (
            character not in _LINE_BREAKS and unicodedata.category(character) in {"Cc", "Cs"}
        ):
            return gettext(REMOVE) % {"code": ord(character)}
    return None


def validate_one_line(value) -> None:
    if problem := one_line_problem(str(value)):
        raise ValidationError(problem, code="control_characters")


def validate_multi_line(value) -> None:
    if problem := multi_line_problem(str(value)):
        raise ValidationError(problem, code="control_characters")


class TextRules:
    """Give every text field of the form its rule: a text area the multi-line one, any
    other text field the one-line one. Passwords are the person's own business."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            rule = (
                validate_multi_line
                if isinstance(field.widget, forms.Textarea)
                else validate_one_line
            )
            # The rule covers NUL too, with the same message as any other control character.
            kept = [v for v in field.validators if not isinstance(v, NullCharacters)]
            field.validators = [*kept, rule] if rule not in kept else kept


class Form(TextRules, forms.Form):
    pass


class ModelForm(TextRules, forms.ModelForm):
    pass
