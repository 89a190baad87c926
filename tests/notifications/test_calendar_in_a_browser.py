"""On a phone (390 px), the calendar page copies its address with one tap, offers the
`webcal://` link a calendar app opens, and asks before a new address stops every
subscription. The page and its question pass axe (no serious or critical violation)."""

import pytest

from notifications.models import CalendarFeed
from tests import factories
from tests.support.browser import browser_test, no_serious_violations, playwright

pytestmark = browser_test


@pytest.fixture
def coach(transactional_db):
    return factories.coach_at(factories.SchoolFactory(), user__email="coach@example.org")


def test_a_coach_copies_the_address_and_asks_before_a_new_one(capture_page, coach):
    page = capture_page.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    capture_page.sign_in()
    capture_page.goto("/calendar/")
    token = CalendarFeed.objects.get(user=coach).token
    address = capture_page.url(f"/calendar/{token}.ics")

    # The address is shown whole, within the phone's width.
    feed = page.locator("#feed-url")
    playwright.expect(feed).to_have_text(address)
    box = feed.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    webcal = page.get_by_role("link", name="Open in my calendar app")
    assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    no_serious_violations(page, "calendar/calendar")

    page.get_by_role("button", name="Copy the address").click()
    playwright.expect(page.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address

    # "Make a new address" asks first, and "Keep my address" keeps it.
    page.get_by_role("link", name="Make a new address").click()
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text(
        "Make a new calendar address?"
    )
    playwright.expect(page.locator("main")).to_contain_text("stops every existing subscription")
    no_serious_violations(page, "calendar/calendar-new-address")
    page.get_by_role("link", name="Keep my address").click()
    playwright.expect(page.locator("#feed-url")).to_have_text(address)
    assert CalendarFeed.objects.get(user=coach).token == token

    page.get_by_role("link", name="Make a new address").click()
    page.get_by_role("button", name="Make a new address").click()
    playwright.expect(page.locator("main")).to_contain_text("Your calendar has a new address")
    new = CalendarFeed.objects.get(user=coach).token
    assert new != token
    playwright.expect(page.locator("#feed-url")).to_have_text(
        capture_page.url(f"/calendar/{new}.ics")
    )
