from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .security import address_throttled


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self):
        if self.request is not None and address_throttled(self.request):
            raise forms.ValidationError(
                "Too many failed sign-ins from this network. Wait 15 minutes, then try again.",
                code="throttled",
            )
        return super().clean()
