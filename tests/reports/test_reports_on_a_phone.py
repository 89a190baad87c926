"""The school and district reports in a real browser at phone widths: nothing cut off,
wide tables scroll sideways with a visible cue, and the chart's text stays readable."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.reports.scenarios import closed_cycle, release
from tests.support.browser import browser_test

pytestmark = browser_test


# What the page looks like to the browser, measured in CSS pixels.
MEASURE = """() => {
  const viewport = document.documentElement;
  const tables = [...document.querySelectorAll("table")].map((table) => {
    const box = table.parentElement;
    const style = getComputedStyle(box);
    return {
      scrolls: box.classList.contains("table-scroll") && style.overflowX === "auto",
      reachable: box.scrollWidth >= table.offsetWidth,
      overflowing: box.scrollWidth > box.clientWidth,
      right: box.getBoundingClientRect().right,
      shadow: style.backgroundImage.includes("radial-gradient")
        && style.backgroundAttachment.includes("local"),
    };
  });
  const svg = document.querySelector("svg[aria-labelledby=minutes-chart-title]");
  const frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map((text) => {
    const box = text.getBoundingClientRect();
    return {
      size: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
      // A glyph box such as T's may overhang its origin by a pixel without being cut off.
      inside: box.left >= frame.left - 1.5 && box.right <= frame.right + 1.5,
      text: text.textContent,
    };
  });
  const bars = [...svg.querySelectorAll("rect.bar")].map((r) => r.getBoundingClientRect().width);
  return {
    width: viewport.clientWidth,
    scrollWidth: viewport.scrollWidth,
    tables,
    texts,
    longestBar: Math.max(...bars),
    chartWidth: frame.width,
  };
}"""


@pytest.fixture
def busy_district(transactional_db, school, other_school, district, report_terms, in_last_term):
    """Enough figures for every table: some shown, some hidden, long names."""
    for outcome in ("met",) * 6 + ("not_met", "partly_met", "stopped", "not_met", "stopped"):
        closed_cycle(school, "Formative assessment", outcome, ended_on=in_last_term,
                     evidence=(9, 17))  # fmt: skip
    coach = factories.coach_at(school, user__full_name="Anastasia Vandenberghe-Okonkwo")
    for kind, minutes in (("conversation", 1240), ("co_planning", 300), ("non_coaching", 95)):
        factories.ActivityEntryFactory(
            coach=coach, school=school, kind=kind, minutes=minutes, date=in_last_term
        )
    release(district)


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


@pytest.mark.parametrize("width", [390, 360])
@pytest.mark.parametrize(
    ("person", "url"), [("school_admin", "/school/"), ("district_admin", "/district/")]
)
def test_a_report_fits_a_phone(request, live_server, browser, busy_district, person, url, width):
    page = open_as(browser, live_server, request.getfixturevalue(person), url, width)
    seen = page.evaluate(MEASURE)

    assert seen["width"] == width
    assert seen["scrollWidth"] <= width, "the page itself scrolls sideways: something sticks out"
    assert seen["tables"]
    for table in seen["tables"]:
        assert table["scrolls"], table
        assert table["reachable"], table
        assert table["right"] <= width, table
        assert table["shadow"], table
    assert any(table["overflowing"] for table in seen["tables"]), "nothing tested the cue"

    assert min(text["size"] for text in seen["texts"]) >= 12, seen["texts"]
    clipped = [text["text"] for text in seen["texts"] if not text["inside"]]
    assert not clipped, f"chart labels cut off: {clipped}"
    assert seen["longestBar"] == pytest.approx(seen["chartWidth"], abs=1)
