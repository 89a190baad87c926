"""The demo teacher's download opens in a browser: the portfolio shows each cycle with its
chart. The screenshot it saves is the one in docs/screenshots/."""

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import User
from records import services
from records.models import Export
from tests.support.browser import browser_test

pytestmark = [*browser_test, pytest.mark.django_db]
SHOTS = Path(os.environ.get("TANDEM_SCREENSHOTS", "build/screenshots"))


def pages_printed(page, paper: str) -> int:
    """How many sheets Chromium prints the page on (its PDF's page objects)."""
    pdf = page.pdf(format=paper)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_the_demo_teachers_portfolio_opens_in_a_browser(tmp_path, browser):
    call_command("seed_demo", stdout=io.StringIO())
    teacher = User.objects.get(email="teacher@example.org")
    export = Export.objects.create(user=teacher, total=2)
    assert services.export_build(export.pk)
    export.refresh_from_db()
    with default_storage.open(export.file) as handle:
        zipfile.ZipFile(io.BytesIO(handle.read())).extractall(tmp_path)
    (portfolio,) = tmp_path.glob("*/portfolio.html")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(portfolio.as_uri())
    assert page.title() == "Coaching portfolio of Daniel Reyes"
    cycles = page.locator("section.page[id^=cycle-]")
    assert cycles.count() >= 1
    chart = page.locator("section.page[id^=cycle-] svg").first
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    page.screenshot(path=str(SHOTS / "portfolio.png"), full_page=False)
    cycles.first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "portfolio-cycle.png"))
    # The contents promise each cycle a page of its own: printed alone, each of the
    # demo's cycles (a goal, six progress points, an observation with its notes, two
    # reflections) takes one sheet, on A4 and on US Letter alike.
    assert "each cycle a page of its own" in page.locator("#contents").inner_text()
    for cycle_id in cycles.evaluate_all("sections => sections.map(s => s.id)"):
        page.evaluate(
            "id => document.querySelectorAll('section.page')"
            ".forEach(s => { s.hidden = s.id !== id; })",
            cycle_id,
        )
        for paper in ("A4", "Letter"):
            assert pages_printed(page, paper) == 1, (cycle_id, paper)
