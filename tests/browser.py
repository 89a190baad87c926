"""What every browser test shares: Debian's Chromium driven by Playwright (no browser is
downloaded), and a skip with the reason where either is missing."""

import shutil

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
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

browser_test = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium found: install Debian's `chromium` package (.ci/run does)",
    ),
]


def phone_page(monkeypatch):
    """A page in Chromium the size of a phone (390 × 844), for a fixture to `yield from`."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # alongside it are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
