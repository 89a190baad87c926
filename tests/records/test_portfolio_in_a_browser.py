"""The demo teacher's download opens in a browser: the portfolio shows each cycle with its
chart. The screenshot it saves is the one in docs/screenshots/."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import User
from records import services
from records.models import Export
from tests.browser import CHROMIUM, CHROMIUM_ARGS, browser_test, playwright

pytestmark = [*browser_test, pytest.mark.django_db]
SHOTS = Path(os.environ.get("TANDEM_SCREENSHOTS", "build/screenshots"))


def test_the_demo_teachers_portfolio_opens_in_a_browser(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("seed_demo", stdout=io.StringIO())
    teacher = User.objects.get(email="teacher@example.org")
    export = Export.objects.create(user=teacher, total=2)
    assert services.export_build(export.pk)
    export.refresh_from_db()
    with default_storage.open(export.file) as handle:
        zipfile.ZipFile(io.BytesIO(handle.read())).extractall(tmp_path)
    (portfolio,) = tmp_path.glob("*/portfolio.html")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
        browser.close()
