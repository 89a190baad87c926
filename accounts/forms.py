from django import forms
from django.conf import settings
from django.contrib.auth import get_backends
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .language import writing_to
from .security import address_throttled, guessed_from_here
from .text import TextRules


class SignInForm(TextRules, AuthenticationForm):
    username = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self):
        if not settings.PASSWORD_SIGN_IN:
            return self._clean_for_operators_only()
        if self.request is None or not address_throttled(self.request):
            return super().clean()
        # Many failures from this address: it may be a school's, shared with someone who
        # guesses. A right password for an account not yet guessed at from here signs in;
        # an account that was is not even tried again until the window has passed.
        throttled = forms.ValidationError(
            _(
                "Too many failed sign-ins from this network. After a wrong password, wait 15 "
                "minutes before trying this account again, or ask an administrator to unlock it."
            ),
            code="throttled",
        )
        if guessed_from_here(self.request, self.cleaned_data.get("username") or ""):
            raise throttled
        try:
            return super().clean()
        except forms.ValidationError as error:
            raise throttled from error

    def _clean_for_operators_only(self):
        # The district turned e-mail and password off: its people sign in with the
        # district's account. One message for every refusal, so that a right password
        # tells nobody it was right.
        turned_off = forms.ValidationError(
            _(
                "Sign in with your district's account above. E-mail and password are turned "
                "off here, except for Tandem's operators."
            ),
            code="password_sign_in_off",
        )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            raise turned_off from error
        if not self.user_cache.is_staff:
            raise turned_off
        return cleaned

    def confirm_login_allowed(self, user):
        # Whether a deactivated account may sign in was decided by the authentication
        # backend (accounts.backends): a teacher who left may, to take their records away.
        pass


class ResetForm(TextRules, PasswordResetForm):
    def get_users(self, email):
        # Django leaves out accounts without a usable password. Here those are people who
        # were invited and never chose one: when their welcome link has expired, a reset
        # link is how they get in. A link goes to whoever may sign in with a password, as
        # the sign-in backends decide: deactivated accounts stay out, except a teacher who
        # left, who may still sign in to take their records and must not be stranded there
        # by a forgotten password.
        from .models import User

        # Where the district turned passwords off, only operators are sent a link.
        return [
            user
            for user in User.objects.filter(email__iexact=email.strip())
            if may_sign_in(user) and (settings.PASSWORD_SIGN_IN or user.is_staff)
        ]

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # In the language of the account, not of whoever typed its address.
        with writing_to(context["user"]):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def may_sign_in(user) -> bool:
    """Whether any sign-in backend would let this account in with the right password."""
    return any(
        backend.user_can_authenticate(user)
        for backend in get_backends()
        if hasattr(backend, "user_can_authenticate")
    )
