from django import forms

from .models import Kind, Preference


class PreferencesForm(forms.Form):
    """One choice per kind of reminder."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Preference.Delivery.choices,
                initial=current.get(kind.value, Preference.Delivery.IMMEDIATE),
                widget=forms.RadioSelect,
            )
