"""The capture page as a coach's phone shows it, for the browser tests of observing a lesson:
each step they take there, by name, written once."""

from tests.support.browser import go_offline, go_online, playwright
from tests.support.network import NetworkLink

PASSWORD = "a-good-password"


class CapturePage:
    """One browser tab on Tandem's live server, reached through a network that can be cut.
    `page` is Playwright's, for anything else.

    `capture.sign_in()`, `capture.open(observation)`, `capture.type_note("...")`,
    `capture.wait_until_saved()`; `capture.new_tab()` is another tab of the same device.
    """

    def __init__(self, page, link: NetworkLink):
        self.page = page
        self.link = link
        self.base_url = link.url

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def new_tab(self) -> "CapturePage":
        """Another tab of this browser: same cookies, storage and service worker."""
        return CapturePage(self.page.context.new_page(), self.link)

    def tab(self, page) -> "CapturePage":
        """A tab the page opened itself (a link with target=_blank)."""
        return CapturePage(page, self.link)

    # Signing in and out ---------------------------------------------------------------

    def sign_in(self, email: str = "coach@example.org", home: str = "/coach/") -> None:
        self.goto("/accounts/sign-in/")
        self.fill_in_sign_in(email, home)

    def fill_in_sign_in(self, email: str = "coach@example.org", home: str = "/coach/") -> None:
        """Fill in the sign-in page this tab shows, and wait for the person's home."""
        self.page.fill("input[name=username]", email)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.url(home))

    def click_sign_out(self, *, leaves: bool = True) -> None:
        """Sign out from the menu, opening it first where the screen folds it away, and
        wait for the sign-in page (`leaves=False` where the coach is asked and stays)."""
        sign_out = self.page.get_by_role("button", name="Sign out")
        if not self.page.locator("#main-nav").is_visible():
            self.page.click(".navbar-toggler")
            playwright.expect(self.page.locator("#main-nav")).to_be_visible()
        # A tap on the person's menu while the folded menu still opens can be lost, as a
        # thumb's would: tap again until it opens.
        for _ in range(3):
            if sign_out.is_visible():
                break
            self.page.locator("#main-nav .dropdown-toggle").last.click()
            try:
                playwright.expect(sign_out).to_be_visible(timeout=3_000)
            except AssertionError:
                continue
        # Signing out is a form's POST and a redirect: wait for the sign-in page it lands
        # on, or the next page.goto races that navigation and one of them is aborted.
        if not leaves:
            sign_out.click()
            return
        with self.page.expect_navigation(url=self.url("/accounts/sign-in/")):
            sign_out.click()

    # Capturing ------------------------------------------------------------------------

    def open(self, observation) -> None:
        self.goto(f"/observations/{observation.pk}/capture/")

    def type_note(self, text: str) -> None:
        self.page.fill("#note-text", text)
        self.page.click("#note-form button[type=submit]")

    def tag(self, look_for: str) -> None:
        """Tag the note being typed (or the next one) with a look-for the teacher chose."""
        self.page.click(f"#look-for-tags button:has-text('{look_for}')")

    def add_tally(self, label: str) -> None:
        self.page.fill("#tally-form input[name=label]", label)
        self.page.click("#tally-form button[type=submit]")

    def seat(self, row: int, column: int):
        return self.page.locator(f'#seats .seat[data-row="{row}"][data-column="{column}"]')

    def tap_seat(self, row: int, column: int) -> None:
        self.seat(row, column).click()

    def wait_until_saved(self) -> None:
        # Locator assertions rather than wait_for_function: the page's CSP forbids eval.
        # Within two of the page's 5-second retries.
        playwright.expect(self.page.locator("#sync-status")).to_have_text(
            "Everything is saved.", timeout=12_000
        )

    def queue(self, observation) -> list:
        """What waits on the device to be sent for the observation."""
        key = f"tandem:observation:{observation.pk}:queue"
        return self.page.evaluate(f"JSON.parse(localStorage.getItem('{key}') || '[]')")

    # The network ----------------------------------------------------------------------

    def go_offline(self) -> None:
        """The phone loses its network: the page is told, and nothing it sends arrives."""
        self.link.cut()
        go_offline(self.page)

    def go_online(self) -> None:
        self.link.restore()
        go_online(self.page)

    def server_answers(self, status: int, body: str = "", content_type: str = "text/plain"):
        """While it lasts, the capture page's notes get this answer instead of the server's
        (`with capture.server_answers(500) as answer: ... answer.wait_for_request()`).
        Played by the network, not Playwright's routing, which the service worker escapes."""
        return self.link.answering("/notes/", status, body, content_type)
