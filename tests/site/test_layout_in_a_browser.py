"""The main navigation of each role fits on one line of a 1280-pixel screen, a common
school laptop's width, with a realistic name and school; status badges are legible."""

from pathlib import Path

import pytest

from tests import factories
from tests.support.browser import browser_test

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)

pytestmark = browser_test
LAPTOP = {"width": 1280, "height": 800}
SHOTS = Path("build/layout")
AXE = axe_playwright.Axe()


@pytest.fixture
def people(transactional_db):
    school = factories.SchoolFactory(name="Hillcrest Middle School")
    teacher = factories.teacher_at(
        school, user__email="teacher@example.org", user__full_name="Daniel Reyes-Whitfield"
    )
    coach = factories.coach_at(
        school, user__email="coach@example.org", user__full_name="Maya Okafor-Lindqvist"
    )
    factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    # A teacher who also coaches at another school: the role switcher stays in the bar.
    both = factories.teacher_at(
        school, user__email="both@example.org", user__full_name="Priya Natarajan-Okoro"
    )
    factories.MembershipFactory(
        user=both,
        role="coach",
        school=factories.SchoolFactory(
            district=school.district, name="Riverside Elementary School"
        ),
    )
    return {"teacher": teacher, "coach": coach, "both": both}


def laptop_page(browser, live_server, email, home):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "a-good-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{home}")
    return page


def assert_one_line(page):
    brand = page.locator(".navbar-brand").bounding_box()
    middle = round(brand["y"] + brand["height"] / 2)
    tops = {
        round(box["y"] + box["height"] / 2)
        for box in (link.bounding_box() for link in page.locator("#main-nav .nav-link").all())
    }
    widths = page.locator("#main-nav .nav-link").evaluate_all(
        "all => all.map(a => [a.textContent.trim().slice(0, 20), a.offsetWidth])"
    )
    assert all(abs(top - middle) <= 4 for top in tops), f"menu on several lines: {widths}"
    # One line of links: the bar is no taller than its brand and padding.
    assert page.locator("nav.navbar").bounding_box()["height"] < 2.2 * brand["height"]


@pytest.mark.parametrize(("persona", "home"), [("teacher", "/teacher/"), ("coach", "/coach/")])
def test_the_menu_fits_on_one_line_at_1280_pixels(browser, live_server, people, persona, home):
    page = laptop_page(browser, live_server, people[persona].email, home)
    assert_one_line(page)
    # The role they act in is still said, in their menu.
    page.locator("#main-nav .dropdown-toggle").last.click()
    header = page.locator(".dropdown-menu.show .dropdown-header")
    assert header.inner_text() == f"{persona.title()} · Hillcrest Middle School"


def test_with_two_roles_the_switcher_keeps_the_menu_on_one_line(browser, live_server, people):
    page = laptop_page(browser, live_server, people["both"].email, "/coach/")
    assert_one_line(page)
    switcher = page.get_by_role("button", name="Acting as: Coach · Riverside Elementary School")
    switcher.click()
    page.get_by_role("button", name="Teacher · Hillcrest Middle School").click()
    page.wait_for_url(f"{live_server.url}/teacher/")
    assert_one_line(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("nav.navbar").screenshot(path=SHOTS / "menu-two-roles-1280.png")


def test_status_badges_are_legible_and_pass_axe(browser, live_server, people):
    page = laptop_page(browser, live_server, people["coach"].email, "/coach/")
    page.goto(f"{live_server.url}/partnerships/")
    badges = page.locator(".badge")
    assert badges.count() > 0
    sizes = badges.evaluate_all("all => all.map(b => parseFloat(getComputedStyle(b).fontSize))")
    assert min(sizes) >= 12.8, sizes
    results = AXE.run(page, options={"runOnly": ["color-contrast"]}).response
    assert not results["violations"], results["violations"]
