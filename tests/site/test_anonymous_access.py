import pytest

from tests.support.urlwalk import all_routes, url_for

# The only pages a person reaches without signing in.
PUBLIC = {
    "accounts:welcome",
    "healthz",
    # The words of the scripts, which the sign-in page runs too: nobody's data (core/jsi18n.py).
    "javascript_catalog",
    "login",
    # The language switch at the foot of the sign-in page (tests/accounts/test_language.py).
    "language",
    # Opened from a reminder e-mail: the signed link is the key (tests/notifications).
    "notifications:unsubscribe",
    # Fetched by calendar programs: the secret address is the key (tests/notifications).
    "notifications:calendar",
    # Signing in with the district's accounts: the provider's answer is the key
    # (tests/accounts/sso).
    "openid_connect_login",
    "openid_connect_callback",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), [r for r in all_routes() if r[0] not in PUBLIC])
def test_every_private_page_sends_anonymous_visitors_to_sign_in(client, name, route):
    url = url_for(route)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/sign-in/?next="), name


def test_the_walk_finds_the_pages_it_must_guard():
    names = {name for name, _ in all_routes()}
    assert {"homes:route", "homes:coach", "switch_role", "password_change"} <= names
