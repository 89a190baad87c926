"""What every browser test shares: Debian's Chromium driven by Playwright (no browser is
downloaded), one for the whole run with a fresh context for each test, and a skip with the
reason where either is missing. The fixtures are in tests/conftest.py."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Transitions end at once (Bootstrap drops them for reduced motion), so that axe never
    # measures a colour halfway through one: a button fading in once read as low contrast.
    "--force-prefers-reduced-motion",
    # A camera and a microphone that always say yes and film a test pattern with a beep, so
    # the lesson recorder (static/js/video/recorder.js) records as on a phone. Pages that
    # never ask for them are not touched by either.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
PHONE = {"width": 390, "height": 844}
SHOTS = Path("build")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)
AXE = axe_playwright.Axe()

browser_test = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium found: install Debian's `chromium` package (.ci/run does)",
    ),
]


def running_chromium():
    """Playwright and Chromium, started once, for a session fixture to `yield from`.

    Playwright's sync API runs an event loop in this thread from start to stop, and Django
    refuses the ORM beside a running loop. The ORM calls a browser test makes alongside it
    (and the flush of its database after it) are ordinary synchronous ones, so Django is
    told so for as long as the browser runs. Browser tests run last in each process
    (tests/conftest.py), so no other test runs beside that loop.
    """
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def no_serious_violations(page, shot: str) -> None:
    """axe finds nothing serious or critical on the page as it stands now. A full-page
    screenshot goes to build/<shot>.png, for a person to look at what was checked."""
    violations = [
        v for v in AXE.run(page).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not violations, f"{shot}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
    path = SHOTS / f"{shot}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)


def phone_page(browser):
    """A page in a new context the size of a phone (390 × 844)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def go_offline(page):
    """Tell the page its device is offline. Only that: what it sends is stopped by a
    `NetworkLink` (tests/support/network.py), as the capture page's tests do."""
    page.context.set_offline(True)


def go_online(page):
    page.context.set_offline(False)
