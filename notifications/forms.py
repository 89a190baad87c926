from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text import Form

from .models import Kind, Preference

# The digest comes once a week in any case: on or off.
DIGEST_CHOICES = [
    (Preference.Delivery.IMMEDIATE, _("Every Monday at 7:00")),
    (Preference.Delivery.OFF, _("No digest")),
]


class PreferencesForm(Form):
    """One choice per kind of reminder."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=DIGEST_CHOICES if kind == Kind.DIGEST else Preference.Delivery.choices,
                initial=current.get(kind.value, Preference.Delivery.IMMEDIATE),
                widget=forms.RadioSelect,
            )
