"""Signing in with the district's accounts, in Chromium, against a real OpenID provider on
this machine (tests/support/openid.py): the provider's own sign-in page, its codes and
signed ID tokens, exchanged by allauth, judged by accounts/sso.py."""

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.services import person_invite
from tests.factories import PartnershipFactory, school_admin_at, teacher_at
from tests.support.browser import browser_test, no_serious_violations, playwright
from tests.support.openid import DOMAIN

pytestmark = [*browser_test, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, district_sign_in):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def rostered_teacher(school):
    """A teacher as a roster brings them in: a role, no password of their own."""
    person = teacher_at(school, user__email=f"daniel@{DOMAIN}", user__full_name="Daniel Reyes")
    person.set_unusable_password()
    person.save(update_fields=["password"])
    return person


def sign_in_with(page, live_server, provider: str, login: str) -> None:
    """Tandem's sign-in page, the provider's button, then the provider's own page."""
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name=f"Sign in with {provider}").click()
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "whatever-the-provider-asks")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{live_server.url}/**")


def sign_out(page, live_server) -> None:
    page.locator("#main-nav .dropdown-toggle").last.click()
    with page.expect_navigation(url=f"{live_server.url}/accounts/sign-in/"):
        page.get_by_role("button", name="Sign out").click()


def signed_in(page, live_server) -> bool:
    page.goto(f"{live_server.url}/teacher/")
    return "/accounts/sign-in/" not in page.url


def test_a_rostered_teacher_signs_in_with_google_and_lands_on_their_home(
    page, live_server, rostered_teacher
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    no_serious_violations(page, "sign-in/district-accounts")
    sign_in_with(page, live_server, "Google", "teacher")

    assert page.url == f"{live_server.url}/teacher/"
    playwright.expect(page.get_by_role("heading", level=1)).to_be_visible()
    link = SocialAccount.objects.get(user=rostered_teacher)
    assert (link.provider, link.uid) == ("google", "teacher")

    # Signing out of Tandem says it did not sign anyone out of Google.
    sign_out(page, live_server)
    playwright.expect(page.locator("body")).to_contain_text(
        "still signed in to your Google account"
    )
    assert not signed_in(page, live_server)


@pytest.mark.parametrize("provider", ["Microsoft", "ClassLink"])
def test_the_same_teacher_signs_in_with_microsoft_or_the_districts_other_provider(
    page, live_server, rostered_teacher, provider
):
    sign_in_with(page, live_server, provider, "teacher")
    assert page.url == f"{live_server.url}/teacher/"


REFUSED = [
    ("Google", "personal-gmail", "not one of your district's"),
    ("Google", "other-school-workspace", "not one of your district's"),
    ("ClassLink", "other-school-workspace", "is not an address of your district"),
    ("Microsoft", "other-tenant", "belongs to another organisation"),
    ("Microsoft", "unverified", "did not confirm your e-mail address"),
    ("ClassLink", "unverified", "did not confirm your e-mail address"),
    ("Google", "stranger", f"Nobody in Tandem has the address nobody@{DOMAIN}"),
]


@pytest.mark.parametrize(("provider", "login", "reason"), REFUSED)
def test_an_account_outside_the_district_or_unknown_is_refused_and_changes_nothing(
    page, live_server, rostered_teacher, provider, login, reason
):
    people = User.objects.count()
    sign_in_with(page, live_server, provider, login)

    playwright.expect(page.locator("main")).to_contain_text(reason)
    no_serious_violations(page, f"sign-in/refused-{login}")
    assert User.objects.count() == people
    assert not SocialAccount.objects.exists()
    assert not signed_in(page, live_server)


def test_a_closed_account_is_refused_and_not_linked(page, live_server, school):
    person = teacher_at(school, user__email=f"left@{DOMAIN}")
    User.objects.filter(pk=person.pk).update(is_active=False)
    sign_in_with(page, live_server, "Google", "closed")
    playwright.expect(page.locator("main")).to_contain_text("Your Tandem account is closed")
    assert not SocialAccount.objects.exists()
    assert not signed_in(page, live_server)


def test_a_teacher_who_left_signs_in_with_the_district_account_to_take_their_records(
    page, live_server, school, settings
):
    # Even where the district turned passwords off: the district's account is then the
    # only door to the records that are theirs.
    settings.PASSWORD_SIGN_IN = False
    person = teacher_at(school, user__email=f"left@{DOMAIN}")
    PartnershipFactory(school=school, teachers=[person])
    User.objects.filter(pk=person.pk).update(is_active=False)

    sign_in_with(page, live_server, "Google", "closed")
    assert page.url == f"{live_server.url}/my-records/"
    page.goto(f"{live_server.url}/partnerships/")
    assert page.url == f"{live_server.url}/my-records/"


def test_a_second_account_with_the_same_address_does_not_take_over_the_first(
    page, live_server, rostered_teacher
):
    # Districts give an address again to someone new: the new account is not the teacher.
    sign_in_with(page, live_server, "Google", "teacher")
    sign_out(page, live_server)
    # Signed out of the provider too (a new browser), so that it asks who is there.
    page.context.clear_cookies()
    sign_in_with(page, live_server, "Google", "new-hire")

    playwright.expect(page.locator("main")).to_contain_text("is not the one Tandem knows")
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["teacher"]
    assert not signed_in(page, live_server)


def _callback_of_a_sign_in(page, live_server, provider: str, login: str) -> str:
    """Sign in at the provider, holding back its answer: the callback URL it would send the
    browser to. (A redirect's next hop cannot be routed, so the handler follows the
    provider's redirects itself, with the browser's cookies, and stops short of Tandem.)"""
    seen = []

    def hold(route):
        if route.request.method != "POST":
            route.continue_()
            return
        answer = route.fetch(max_redirects=0)
        resume = urljoin(route.request.url, answer.headers["location"])
        back = page.request.get(resume, max_redirects=0)
        seen.append(urljoin(resume, back.headers["location"]))
        route.fulfill(status=200, content_type="text/plain", body="held back")

    page.route(lambda url: "/interaction/" in url, hold)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name=f"Sign in with {provider}").click()
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "whatever")
    page.get_by_role("button", name="Sign-in").click()
    playwright.expect(page.locator("body")).to_have_text("held back")
    page.unroute_all()
    assert "/login/callback/" in seen[0]
    return seen[0]


def _changed(url: str, **params) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return parts._replace(query=urlencode(query)).geturl()


@pytest.mark.parametrize("change", ["code", "state"])
def test_a_tampered_answer_from_the_provider_is_refused(
    page, live_server, rostered_teacher, change
):
    callback = _callback_of_a_sign_in(page, live_server, "Google", "teacher")
    page.goto(
        _changed(callback, **{change: "x" + dict(parse_qsl(urlsplit(callback).query))[change]})
    )

    playwright.expect(page.locator("main")).to_contain_text("Signing in did not work")
    assert not SocialAccount.objects.exists()
    assert not signed_in(page, live_server)


def test_a_replayed_answer_from_the_provider_is_refused(page, live_server, rostered_teacher):
    callback = _callback_of_a_sign_in(page, live_server, "Google", "teacher")
    page.goto(callback)
    assert page.url == f"{live_server.url}/teacher/"
    sign_out(page, live_server)

    page.goto(callback)
    playwright.expect(page.locator("main")).to_contain_text("Signing in did not work")
    assert not signed_in(page, live_server)


def test_an_administrator_still_gives_the_second_step(page, live_server, school):
    admin = school_admin_at(school, user__email=f"grace@{DOMAIN}")
    device = TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    User.objects.filter(pk=admin.pk).update(two_step_enabled=True)

    sign_in_with(page, live_server, "Microsoft", "administrator")
    page.wait_for_url(f"{live_server.url}/accounts/two-step/**")
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.goto(f"{live_server.url}/school/")
    assert "/accounts/two-step/" in page.url

    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/school/")


def test_linking_an_account_to_whoever_is_signed_in_is_refused(page, live_server, teacher):
    # allauth can link a provider's account to the person signed in ("connect"). In Tandem
    # a link is made by a first sign-in's rules alone: a coach's Google account must not
    # be linked to a colleague's session left open.
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("input[name=username]", "daniel@example.org")
    page.fill("input[name=password]", "a-good-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/teacher/")
    # The page that starts a sign-in, its form changed as an attacker would.
    page.goto(f"{live_server.url}/accounts/oidc/google/login/")
    page.locator("input[name=process]").evaluate("(field) => { field.value = 'connect'; }")
    page.get_by_role("button", name="Continue to Google").click()
    page.fill("input[name=login]", "teacher")
    page.fill("input[name=password]", "whatever")
    page.get_by_role("button", name="Sign-in").click()
    playwright.expect(page.locator("main")).to_contain_text("Signing in did not work")
    assert not SocialAccount.objects.exists()


def test_someone_invited_who_signs_in_with_the_district_account_takes_the_role(
    page, live_server, school, school_admin
):
    # As choosing a password through the welcome link does: the district vouched for the
    # address the invitation went to.
    invitation = person_invite(
        actor=school_admin,
        school=school,
        email=f"daniel@{DOMAIN}",
        full_name="Daniel Reyes",
        role=Membership.Role.TEACHER,
    )
    sign_in_with(page, live_server, "Google", "teacher")
    assert page.url == f"{live_server.url}/teacher/"
    assert Membership.objects.filter(user=invitation.user, school=school).exists()
