"""Signing in with the district's accounts, without a browser: the rules each provider's
claims must meet, who a first sign-in may be linked to, the sign-in page, and a district
that turns e-mail and password off. The whole journey, against a real OpenID provider,
is in test_district_sign_in_in_a_browser.py."""

import pytest
from django.core import mail
from django.test import Client

from accounts.selectors import person_for_first_district_sign_in
from accounts.services import person_invite
from accounts.sso import address_vouched_for, district_account_refusal
from tests.factories import UserFactory
from tests.support.openid import OTHER_TENANT, TENANT, tandem_apps

pytestmark = pytest.mark.django_db

GOOGLE = {"kind": "google", "domains": ["district.example"]}
MICROSOFT = {"kind": "microsoft", "tenant": TENANT, "domains": []}
OTHER = {"kind": "other", "domains": ["district.example"]}


@pytest.mark.parametrize(
    ("rule", "claims", "refused"),
    [
        (GOOGLE, {"email": "a@district.example", "hd": "district.example"}, False),
        # A personal account never carries `hd`; typing the district's domain in the
        # address is not enough.
        (GOOGLE, {"email": "a@district.example"}, True),
        (GOOGLE, {"email": "a@gmail.com"}, True),
        (GOOGLE, {"email": "a@other.example", "hd": "other.example"}, True),
        (GOOGLE, {"email": "A@District.Example", "hd": "District.Example"}, False),
        (MICROSOFT, {"email": "a@district.example", "tid": TENANT}, False),
        (MICROSOFT, {"email": "a@district.example", "tid": TENANT.upper()}, False),
        (MICROSOFT, {"email": "a@district.example", "tid": OTHER_TENANT}, True),
        (MICROSOFT, {"email": "a@district.example"}, True),
        (OTHER, {"email": "a@district.example"}, False),
        (OTHER, {"email": "a@elsewhere.example"}, True),
        (OTHER, {}, True),
    ],
)
def test_each_providers_rule_admits_only_the_districts_accounts(rule, claims, refused):
    assert (district_account_refusal(rule, claims) is not None) == refused


def test_an_entra_address_counts_only_when_the_tenant_owns_its_domain():
    assert not address_vouched_for(MICROSOFT, {"email": "a@district.example"})
    assert address_vouched_for(MICROSOFT, {"email": "a@district.example", "xms_edov": True})
    assert address_vouched_for(GOOGLE, {"email_verified": "true"})
    assert not address_vouched_for(GOOGLE, {"email_verified": False})


def test_a_first_sign_in_finds_only_someone_given_or_invited_to_a_role(
    school, teacher, school_admin
):
    assert person_for_first_district_sign_in("DANIEL@example.org") == teacher
    invited = person_invite(
        actor=school_admin, school=school, email="new@example.org", full_name="New", role="teacher"
    )
    assert person_for_first_district_sign_in("new@example.org") == invited.user
    UserFactory(email="no-role@example.org")
    assert person_for_first_district_sign_in("no-role@example.org") is None
    assert person_for_first_district_sign_in("nobody@example.org") is None


@pytest.fixture
def configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": tandem_apps("https://id.district.example")}
    }


def test_the_sign_in_page_offers_the_districts_accounts_first(client, configured):
    response = client.get("/accounts/sign-in/")
    page = response.text
    for provider in ("google", "microsoft", "district"):
        assert f'action="/accounts/oidc/{provider}/login/"' in page
    assert page.index("Sign in with Google") < page.index('name="password"')
    # The buttons' forms are sent on to the provider: the page's policy lets them go.
    assert "form-action 'self' https://id.district.example" in response["Content-Security-Policy"]


def test_without_district_accounts_the_sign_in_page_is_as_before(client):
    page = client.get("/accounts/sign-in/").text
    assert "Sign in with" not in page
    assert 'name="password"' in page


def test_a_provider_that_is_not_configured_is_not_found(client, configured):
    assert client.post("/accounts/oidc/facebook/login/").status_code == 404
    # Followed as a link, the sign-in waits for a button: a link cannot start it for you.
    page = client.get("/accounts/oidc/google/login/")
    assert page.status_code == 200
    assert "Continue to Google" in page.text


@pytest.mark.parametrize("query", ["", "?state=forged&code=x", "?error=access_denied"])
def test_an_answer_tandem_never_asked_for_is_refused_with_a_page(client, configured, query):
    response = client.get(f"/accounts/oidc/google/login/callback/{query}")
    assert response.status_code == 401
    assert "Signing in" in response.text
    assert "_auth_user_id" not in client.session


def test_a_provider_that_cannot_be_reached_gets_a_page_not_an_error(client, configured):
    # https://id.district.example does not resolve: the district's provider is down.
    response = client.post("/accounts/oidc/google/login/")
    assert response.status_code == 503
    assert "Google cannot be reached just now" in response.text
    assert "sign in with your e-mail and password" in response.text


def sign_in(client, email):
    return client.post("/accounts/sign-in/", {"username": email, "password": "a-good-password"})


def test_with_passwords_turned_off_a_right_password_signs_nobody_in(client, teacher, settings):
    settings.PASSWORD_SIGN_IN = False
    response = sign_in(client, "daniel@example.org")
    assert response.status_code == 200
    assert "Sign in with your district&#x27;s account above" in response.text
    assert "_auth_user_id" not in client.session
    # Nor does a wrong one say anything else.
    client.post("/accounts/sign-in/", {"username": "daniel@example.org", "password": "wrong"})
    assert "_auth_user_id" not in client.session


def test_with_passwords_turned_off_operators_still_sign_in(client, settings):
    settings.PASSWORD_SIGN_IN = False
    UserFactory(email="ops@example.org", is_staff=True)
    assert sign_in(client, "ops@example.org").status_code == 302
    assert client.session["_auth_user_id"]


def test_with_passwords_turned_off_no_reset_link_is_sent_but_to_operators(
    client, teacher, settings
):
    settings.PASSWORD_SIGN_IN = False
    UserFactory(email="ops@example.org", is_staff=True)
    client.post("/accounts/password/reset/", {"email": "daniel@example.org"})
    assert mail.outbox == []
    client.post("/accounts/password/reset/", {"email": "ops@example.org"})
    assert [message.to for message in mail.outbox] == [["ops@example.org"]]


def test_with_passwords_turned_off_the_page_keeps_a_door_for_operators(client, settings):
    settings.PASSWORD_SIGN_IN = False
    page = Client().get("/accounts/sign-in/").text
    assert "Tandem's operators" in page
    assert "Forgotten your password?" not in page


def test_the_person_page_says_how_someone_signs_in(client_for, school_admin, teacher, configured):
    from allauth.socialaccount.models import SocialAccount

    page = f"/people/{teacher.pk}/"
    client = client_for(school_admin)
    assert "signs in with" not in client.get(page).text
    SocialAccount.objects.create(user=teacher, provider="google", uid="1043")
    assert "signs in with Google" in client.get(page).text


def test_with_passwords_off_an_invitation_leads_to_the_districts_sign_in(
    client, school_admin, school, settings, configured, django_capture_on_commit_callbacks
):
    import re

    settings.PASSWORD_SIGN_IN = False
    with django_capture_on_commit_callbacks(execute=True):
        invitation = person_invite(
            actor=school_admin,
            school=school,
            email="ada@example.org",
            full_name="Ada",
            role="teacher",
        )
    body = mail.outbox[0].body
    assert "Sign in with your district's account here" in body
    assert "password" not in body

    page = client.get(re.search(r"https?://[^/]+(/welcome/\S+)", body).group(1), follow=True)
    assert 'action="/accounts/oidc/google/login/"' in page.text
    assert 'name="new_password1"' not in page.text
    # A password sent anyway is not kept: it could not be used.
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "lovely-long-secret", "new_password2": "lovely-long-secret"},
    )
    invitation.user.refresh_from_db()
    assert not invitation.user.has_usable_password()
