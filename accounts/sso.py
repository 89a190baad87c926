"""Signing in with the district's accounts: Google Workspace, Microsoft Entra ID, or any
other OpenID provider, through django-allauth's OpenID Connect client.

allauth speaks the protocol (discovery, state, PKCE, the code exchanged over TLS, the ID
token's issuer and audience); this module decides who that makes someone in Tandem:

- every sign-in must meet its provider's rule (`district_account_refusal`): a Google
  account of the district's own domains, an Entra account of the district's own tenant;
- a person is found by the provider's stable subject, once linked; the first sign-in
  links only to someone Tandem already has (invited by an administrator or brought in by
  a roster) and only through an address the provider vouches for. Signing in with a
  district account never creates a person nor gives a role.

Everything else about signing in stays Tandem's: two steps for administrators and
operators (accounts.middleware), session lifetime, signing out.
"""

import logging
from functools import wraps
from urllib.parse import urlsplit

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError, AuthProcess
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .backends import may_sign_in_after_leaving
from .selectors import person_for_first_district_sign_in
from .services import accept_invitations_on_welcome

logger = logging.getLogger(__name__)

# The session remembers the provider so that signing out can say what it did not do.
SIGNED_IN_WITH = "signed_in_with"


def _configured_apps() -> list[dict]:
    return settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])


def district_providers() -> list[dict]:
    """The district's configured account systems, in the order the sign-in page shows
    them: `{"id", "name"}` each."""
    return [{"id": app["provider_id"], "name": app["name"]} for app in _configured_apps()]


def _provider_names() -> dict[str, str]:
    return {app["provider_id"]: app["name"] for app in _configured_apps()}


def district_accounts_of(person) -> list[str]:
    """The names of the district accounts a person signs in with, for their person page."""
    names = _provider_names()
    linked = person.socialaccount_set.values_list("provider", flat=True)
    return [names.get(provider, provider) for provider in linked]


def provider_origins() -> list[str]:
    """Where the sign-in pages' forms lead, through allauth's redirect: the pages' CSP
    (form-action) must let them go there, as browsers hold a form's redirects to it too."""
    origins = set()
    for app in _configured_apps():
        parts = urlsplit(app["settings"]["server_url"])
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def leading_to_providers(view):
    """A page whose form may lead to the district's sign-in (see provider_origins)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = reaching_the_provider(view)(request, *args, **kwargs)
        origins = provider_origins()
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    return wrapped


def reaching_the_provider(view):
    """A view that talks to the provider (its discovery document, its token endpoint): a
    provider that is down or answers nonsense gets a page that says so, not a 500."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        # A provider down, or answering with something that is not an OpenID document:
        # allauth reads it as it comes, so a list or a missing key fails deep inside it.
        except (requests.RequestException, KeyError, TypeError, AttributeError) as error:
            logger.warning("The district's sign-in could not be reached: %r", error)
            name = _provider_names().get(kwargs.get("provider_id"), _("Your district's sign-in"))
            return render(
                request,
                "accounts/sso_refused.html",
                {
                    "title": _("%(provider)s cannot be reached just now") % {"provider": name},
                    "reason": (
                        _(
                            "Nothing changed. Try again in a few minutes, or sign in with your "
                            "e-mail and password."
                        )
                        if settings.PASSWORD_SIGN_IN
                        else _("Nothing changed. Try again in a few minutes.")
                    ),
                },
                status=503,
            )

    return wrapped


def _vouched(value) -> bool:
    # Providers send booleans; some send "true".
    return value is True or str(value).lower() == "true"


def address_vouched_for(rule: dict, claims: dict) -> bool:
    """Whether the provider vouches that the person owns the address in `email`.

    Entra ID's `email` is whatever the tenant's directory says and is not verified; its
    optional claim `xms_edov` says the tenant owns the address's domain."""
    if rule.get("kind") == "microsoft" and _vouched(claims.get("xms_edov")):
        return True
    return _vouched(claims.get("email_verified"))


def district_account_refusal(rule: dict, claims: dict) -> str | None:
    """Why an account with these claims (from the ID token or user info the provider
    itself sent) may not sign in through this provider; None when it may."""
    email = claims.get("email")
    email = email.strip().lower() if isinstance(email, str) else ""
    domain = email.rpartition("@")[2]
    domains = rule.get("domains") or []
    kind = rule.get("kind")
    if kind == "microsoft" and str(claims.get("tid") or "").lower() != rule.get("tenant"):
        return _("This Microsoft account belongs to another organisation, not to your district.")
    if kind == "google" and str(claims.get("hd") or "").lower() not in domains:
        # `hd` is set only for Workspace accounts, by Google, for the account's own domain;
        # a personal Gmail address or another school's Workspace never carries the district's.
        return _("This Google account is not one of your district's.")
    if domains and domain not in domains:
        if not email:
            return _("This account is not an address of your district.")
        return _("%(email)s is not an address of your district.") % {"email": email}
    return None


def provider_name(sociallogin) -> str:
    return sociallogin.account.get_provider().name


def _an_address(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    # The ID token's claims win where both say something: its issuer and audience were
    # checked by allauth.
    return {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}


def _refuse(request, title: str, reason: str, status: int = 403):
    raise ImmediateHttpResponse(
        render(
            request,
            "accounts/sso_refused.html",
            {"title": title, "reason": reason, "providers": district_providers()},
            status=status,
        )
    )


class DistrictAccounts(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        if sociallogin.state.get("process") != AuthProcess.LOGIN:
            # allauth can also link an account to whoever is signed in ("connect"): in
            # Tandem a link is made only by the rules below.
            _refuse(request, _("Signing in did not work"), _("Start again from the sign-in page."))
        rule = sociallogin.account.get_provider().app.settings
        claims = _claims(sociallogin)
        refusal = district_account_refusal(rule, claims)
        if refusal:
            _refuse(request, _("That account cannot sign in to Tandem"), refusal)
        if sociallogin.is_existing:
            person = sociallogin.user
            self._refuse_if_closed(request, person)
        else:
            person = self._first_sign_in(request, sociallogin, rule, claims)
        if not person.has_usable_password() and person.last_login is None:
            # The district vouched for the address the invitation went to: as the welcome
            # link does, that accepts what the new person was invited to.
            accept_invitations_on_welcome(person)
        # Tandem's own backend keeps the session: allauth would pick the first backend,
        # django-axes', which cannot load a person back from a session.
        person.backend = "accounts.backends.SignInBackend"

    def _first_sign_in(self, request, sociallogin, rule: dict, claims: dict):
        """Link the provider's account to the person Tandem has at its address, or refuse
        with nothing written."""
        email = claims.get("email")
        email = email.strip() if isinstance(email, str) else ""
        if not _an_address(email) or not address_vouched_for(rule, claims):
            _refuse(
                request,
                _("Tandem cannot tell whose account this is"),
                _(
                    "Your district's sign-in did not confirm your e-mail address, so Tandem "
                    "cannot find you by it. Ask your district's IT staff to send a verified "
                    "address."
                ),
            )
        person = person_for_first_district_sign_in(email)
        if person is None:
            _refuse(
                request,
                _("Tandem does not know you yet"),
                _(
                    "Nobody in Tandem has the address %(email)s. Your school's administrator "
                    "invites people, or your district brings them in from its roster; "
                    "signing in cannot add you."
                )
                % {"email": email},
            )
        self._refuse_if_closed(request, person)
        if person.socialaccount_set.filter(provider=sociallogin.account.provider).exists():
            # Another account of this provider has the address now: districts give an
            # address again to someone new after its owner left. The person stays with
            # the account they signed in with first.
            _refuse(
                request,
                _("This account is not the one Tandem knows"),
                _(
                    "%(email)s signs in to Tandem with another %(provider)s account. If the "
                    "address has a new owner, ask Tandem's operators to remove the old link."
                )
                % {"email": email, "provider": provider_name(sociallogin)},
            )
        sociallogin.connect(request, person)
        return person

    @staticmethod
    def _refuse_if_closed(request, person) -> None:
        # A teacher who left may still sign in, to take their records away, through the
        # district's account as through a password (accounts.departed keeps them there).
        if not person.is_active and not may_sign_in_after_leaving(person):
            _refuse(request, _("Your account is closed"), _("Your Tandem account is closed."))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        # Translators: stands for the provider's name where it has none, as in "You left
        # your district's sign-in before it finished".
        name = getattr(provider, "name", None) or _("your district")
        if error == AuthError.CANCELLED:
            _refuse(
                request,
                _("Signing in was cancelled"),
                _("You left %(provider)s's sign-in before it finished. Nothing changed.")
                % {"provider": name},
                status=401,
            )
        _refuse(
            request,
            _("Signing in did not work"),
            _(
                "%(provider)s did not confirm who you are: the sign-in link was used already, "
                "came from another browser, or was changed on the way. Nothing changed; start "
                "again from Tandem's sign-in page."
            )
            % {"provider": name},
            status=401,
        )


class TandemSignIn(DefaultAccountAdapter):
    """allauth's account pages are not Tandem's: nobody signs up, and sign-in is
    Tandem's own page."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_login(self, request, user, **kwargs):
        # allauth refuses every closed account; DistrictAccounts already refused those
        # that may not sign in, and a teacher who left may, to take their records away.
        if not user.is_active and may_sign_in_after_leaving(user):
            return None
        return super().pre_login(request, user, **kwargs)

    def get_login_redirect_url(self, request) -> str:
        return reverse("homes:route")


@receiver(user_logged_in)
def remember_the_provider(sender, request, user, sociallogin=None, **kwargs):
    # Set once signed in: signing in again first signs the previous person out, which
    # empties the session.
    if sociallogin is not None:
        request.session[SIGNED_IN_WITH] = provider_name(sociallogin)
