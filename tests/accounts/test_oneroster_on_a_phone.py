"""A refused roster package read on a 390-pixel phone: each problem is a card whose
explanation is read without scrolling sideways; on a laptop, the table."""

import io

import pytest
from django.conf import settings
from django.test import Client

from accounts.oneroster.services import roster_package_preview
from tests import factories
from tests.support.browser import browser_test, no_serious_violations
from tests.support.oneroster import small_district

pytestmark = browser_test

SEEN = """() => {
  const shown = (selector) => [...document.querySelectorAll(selector)].filter(
    (element) => element.getClientRects().length > 0);
  return {
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    cards: shown(".refusal-list li").map((card) => card.getBoundingClientRect().right),
    tables: shown(".refusal-table table").length,
  };
}"""


@pytest.fixture
def refused(district):
    roster = small_district()
    roster.users[0]["email"] = "not-an-address-but-a-long-one-" + "y" * 40
    roster.users[1]["email"] = "neither@" + "z" * 70
    record, _ = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(roster.zip()), file_name="p.zip"
    )
    assert record.status == "refused"
    return record


def open_as(browser, live_server, user, url, width):
    client = factories.sign_in(Client(), user)
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{url}")
    return page


def test_on_a_phone_each_problem_is_a_card_read_without_scrolling_sideways(
    browser, live_server, district_admin, refused
):
    page = open_as(browser, live_server, district_admin, f"/people/oneroster/{refused.pk}/", 390)
    seen = page.evaluate(SEEN)
    assert seen["scrollWidth"] <= seen["width"] == 390
    assert len(seen["cards"]) == len(refused.refusals) == 2
    assert all(right <= 390 for right in seen["cards"]), seen
    assert seen["tables"] == 0
    no_serious_violations(page, "oneroster/refusals-phone")


def test_on_a_laptop_the_problems_are_a_table(browser, live_server, district_admin, refused):
    page = open_as(browser, live_server, district_admin, f"/people/oneroster/{refused.pk}/", 1280)
    seen = page.evaluate(SEEN)
    assert (seen["cards"], seen["tables"]) == ([], 1)
