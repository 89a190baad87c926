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

# Words that may still be waiting to be translated (gettext_lazy): typed where they pass.
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Text
else:
    Text = str | Promise


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
        language = (language or translation.get_language() or "").split("-")[0]
        return (self.translations.get(language) or {}).get(field) or getattr(self, field)


def said(obj: Any, field: str) -> str:
    return obj.said(field) if isinstance(obj, Translatable) else getattr(obj, field)


def translation_field_name(field: str, language: str) -> str:
    return f"{field}_{language}"


class TranslationsFormMixin:
    """For a model form: also ask for each translated field in every other language.

    The English field stays required as the model says; the others are optional, and an
    empty one falls back to the English; they reach the instance with the other fields.
    """

    fields: dict[str, forms.Field]
    instance: Any
    _meta: Any
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        kept = getattr(self.instance, "translations", None) or {}
        for field in model.TRANSLATED:
            if field not in self.fields:
                continue
            english = self.fields[field]
            for code, name in other_languages():
                extra = forms.CharField(
                    label=_("%(field)s in %(language)s")
                    % {"field": english.label, "language": name},
                    required=False,
                    max_length=getattr(english, "max_length", None),
                    widget=english.widget.__class__(attrs={"lang": code, **_rows(english)}),
                    initial=(kept.get(code) or {}).get(field, ""),
                    validators=english.validators,
                )
                self.fields[translation_field_name(field, code)] = extra

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}  # type: ignore[misc]
        translations: dict[str, dict[str, str]] = {}
        for field in self._meta.model.TRANSLATED:
            for code, _name in other_languages():
                text = (cleaned.get(translation_field_name(field, code)) or "").strip()
                if text:
                    translations.setdefault(code, {})[field] = text
        cleaned["translations"] = translations
        return cleaned

    def _post_clean(self) -> None:
        # With the other fields, onto the instance the service then validates and saves.
        super()._post_clean()  # type: ignore[misc]
        if "translations" in self.cleaned_data:
            self.instance.translations = self.cleaned_data["translations"]


def _rows(field: forms.Field) -> dict[str, Any]:
    rows = field.widget.attrs.get("rows")
    return {"rows": rows} if rows else {}
