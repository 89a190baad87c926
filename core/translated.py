"""Words a district writes (look-fors, strategies, focus areas, competencies) in more than
one language.

The English wording stays in the model's own fields, where every query, constraint and
copy already reads it; each other language's wording sits beside it in `translations`,
`{"es": {"name": "Compromiso"}}`, and a reader sees their own language's where there is
one. A new language needs no migration.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Words that may still be waiting to be translated (gettext_lazy): typed where they pass.
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Text
else:
    Text = str | Promise


# Each language as a sentence names it ("in Spanish", "en español"); Django's own names are
# titles ("Español"). A new language adds its line.
IN_A_SENTENCE = {"es": pgettext_lazy("a language, named in a sentence", "Spanish")}


def other_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class Translatable(models.Model):
    """A model some of whose words (`TRANSLATED`) a district may give in other languages."""

    TRANSLATED: tuple[str, ...] = ()

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def said(self, field: str, language: str | None = None) -> str:
        """`field` in the reader's language when the district gave it, else as written."""
        return _in_language(self.translations, field, language) or getattr(self, field)


def said(obj: Any, field: str) -> str:
    """`obj.said(field)`, also for the dicts a page builds from such words (with their
    `translations`), and plain attributes otherwise."""
    if isinstance(obj, Translatable):
        return obj.said(field)
    if isinstance(obj, dict):
        return _in_language(obj.get("translations"), field, None) or obj.get(field, "")
    return getattr(obj, field)


def _in_language(translations: dict | None, field: str, language: str | None) -> str:
    """`field`'s wording in `language` (the reader's when None), or "" where none was given."""
    language = (language or translation.get_language() or "").split("-")[0]
    return ((translations or {}).get(language) or {}).get(field, "")


def translation_field_name(field: str, language: str) -> str:
    return f"{field}_{language}"


class _OneLine(forms.CharField):
    """The wording of a one-line field: spaces and line breaks evened out, as typed in one."""

    def to_python(self, value: Any) -> str:
        return " ".join(str(super().to_python(value)).split())


def add_translation_fields(form: forms.BaseForm, translated: tuple[str, ...], kept: dict) -> None:
    """Beside each of `translated` that `form` asks for, a field for it in every other
    language (optional: an empty one falls back to the English), filled from `kept`."""
    for field in translated:
        if field not in form.fields:
            continue
        english = form.fields[field]
        for code, _name in other_languages():
            # "Title in Spanish", "Título en español": the language as a sentence names it.
            language = IN_A_SENTENCE.get(code) or translation.get_language_info(code)["name"]
            kind = forms.CharField if isinstance(english.widget, forms.Textarea) else _OneLine
            form.fields[translation_field_name(field, code)] = kind(
                label=_("%(field)s in %(language)s")
                % {"field": english.label, "language": language},
                required=False,
                max_length=getattr(english, "max_length", None),
                widget=english.widget.__class__(attrs={"lang": code, **_rows(english)}),
                initial=(kept.get(code) or {}).get(field, ""),
                validators=english.validators,
            )


def translations_from(cleaned: dict[str, Any], translated: tuple[str, ...]) -> dict:
    """What the fields `add_translation_fields` added were given: what to keep."""
    translations: dict[str, dict[str, str]] = {}
    for field in translated:
        for code, _name in other_languages():
            text = str(cleaned.get(translation_field_name(field, code)) or "").strip()
            if text:
                translations.setdefault(code, {})[field] = text
    return translations


class TranslationsFormMixin:
    """For a model form of a `Translatable`: ask for its words in every other language too.
    They reach the instance with the other fields, for the service to validate and save."""

    fields: dict[str, forms.Field]
    instance: Any
    _meta: Any
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kept = getattr(self.instance, "translations", None) or {}
        add_translation_fields(self, self._meta.model.TRANSLATED, kept)  # type: ignore[arg-type]

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        self.instance.translations = translations_from(
            self.cleaned_data, self._meta.model.TRANSLATED
        )


def _rows(field: forms.Field) -> dict[str, Any]:
    rows = field.widget.attrs.get("rows")
    return {"rows": rows} if rows else {}
