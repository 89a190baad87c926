from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

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

    def confirm_login_allowed(self, user):
        # Whether a deactivated account may sign in was decided by the authentication
        # backend (records.backends): a teacher who left may, to take their records away.
        pass


class ResetForm(PasswordResetForm):
    def get_users(self, email):
        # Django leaves out accounts without a usable password. Here those are people who
        # were invited and never chose one: when their welcome link has expired, a reset
        # link is how they get in. Deactivated accounts stay out.
        from .models import User

        return User.objects.filter(email__iexact=email.strip(), is_active=True)
