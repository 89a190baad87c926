"""A teacher records a lesson on a phone, loses the network mid-upload, reloads, signs in
again, and the video arrives once, is made playable, plays and seeks (the issue's
acceptance, word for word). And a file chosen on the phone goes the same way, the page
waiting for it to be made playable.

Chromium films its fake camera's test pattern and hears its fake microphone's beep
(tests/support/browser.py): MediaRecorder records them in real time, so the recording
takes the 20 seconds it lasts.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.support.browser import PHONE, browser_test, no_serious_violations, playwright
from tests.support.capture_page import CapturePage
from tests.support.media import ffprobe_json, webm_vp8
from tests.support.network import NetworkLink
from video import services
from video.models import Video, VideoComment

from .conftest import files_in, needs_ffmpeg

pytestmark = [*browser_test, needs_ffmpeg, pytest.mark.slow]

TEACHER = "daniel@example.org"
# Small pieces, so that a 20-second recording takes dozens of requests and the network can
# be lost between two of them. The live server runs in this process: it reads this too.
PIECE = 32 * 1024
RECORDED = 20
PIECE_URL = re.compile(r"/videos/uploads/[0-9a-f-]{36}/$")
# Said by the page in every console error and CSP violation, which Chromium writes there.
SAYS_CSP = """
document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
);
"""


class Console:
    """What a page wrote to its console as errors, and what it threw."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def take(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


def only_lost_requests(errors: list[str]) -> list[str]:
    """What is left once the requests a lost network or an ended session failed are taken
    out: Chromium writes each of those as an error, whatever the page does with it."""
    return [error for error in errors if not error.startswith("Failed to load resource")]


@pytest.fixture
def phone(browser, live_server, settings, video_files):
    """A phone-sized page whose camera and microphone may be used, reaching the live server
    through a link the test can cut."""
    settings.VIDEO_CHUNK_BYTES = PIECE
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, permissions=["camera", "microphone"]
    )
    context.add_init_script(SAYS_CSP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    server = urlsplit(live_server.url)
    link = NetworkLink((server.hostname, server.port))
    yield CapturePage(page, link)
    link.close()


def in_page(locator, script: str, arg=None, seconds: float = 20):
    """Run `script` (an async function of the element and `arg`) and wait for its answer; it
    fails after `seconds` rather than wait for ever. (The page's CSP forbids eval, which
    wait_for_function needs.)"""
    return locator.evaluate(
        f"""async (element, arg) => {{
          const work = ({script})(element, arg);
          const late = new Promise((_, fail) =>
            setTimeout(() => fail(new Error("still waiting after {seconds} s")), {seconds * 1000}),
          );
          return Promise.race([work, late]);
        }}""",
        arg,
    )


# Plays, muted (no autoplay policy refuses that), until the clock has moved.
PLAY = """async (video) => {
  video.muted = true;
  await video.play();
  while (!(video.currentTime > 0)) {
    await new Promise((r) => video.addEventListener("timeupdate", r, { once: true }));
  }
  return video.currentTime;
}"""
# Pauses, moves to `to` seconds and waits for the browser to have found that moment.
SEEK = """async (video, to) => {
  video.pause();
  const seeked = new Promise((r) => video.addEventListener("seeked", r, { once: true }));
  video.currentTime = to;
  await seeked;
  return video.currentTime;
}"""
# Waits until the player has moved to near `to` and found it (a comment's button taps it).
REACHED = """async (video, to) => {
  while (video.seeking || !(Math.abs(video.currentTime - to) < 1.5)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return video.currentTime;
}"""


def stored(video: Video) -> dict:
    return ffprobe_json(services.video_storage().path(video.file))


def test_a_lesson_recorded_on_a_phone_arrives_once_through_a_lost_network_and_a_sign_in(
    phone, teacher, cycle, video_files
):
    page = phone.page
    console = Console(page)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" while sending
    sent_from = []  # the Upload-Offset of every piece the page sends, in order

    def note_piece(request):
        if request.method == "POST" and PIECE_URL.search(request.url):
            sent_from.append(int(request.headers["upload-offset"]))

    page.on("request", note_piece)
    phone.sign_in(TEACHER, home="/teacher/")
    phone.goto("/videos/new/")
    assert page.viewport_size["width"] == PHONE["width"]
    no_serious_violations(page, "video/recorder")

    # Record 20 seconds: the clock on the page counts them, by the browser's real clock.
    page.get_by_role("button", name="Record video").click()
    clock = page.locator("[data-clock]")
    playwright.expect(clock).to_contain_text("Recording: 0:0", timeout=10_000)
    playwright.expect(page.locator("#video-preview")).to_be_visible()
    playwright.expect(clock).to_contain_text(
        re.compile(rf"Recording: 0:{RECORDED // 10}\d"), timeout=(RECORDED + 10) * 1000
    )

    # The network goes as the fourth piece leaves: three are on the server, the fourth never
    # arrives.
    leaving = []

    def lose_the_network_at_the_fourth_piece(route):
        if route.request.method == "POST":
            leaving.append(route.request)
        if len(leaving) >= 4:
            phone.link.cut()
        route.continue_()

    page.route(PIECE_URL, lose_the_network_at_the_fourth_piece)
    page.get_by_role("button", name="Stop and send").click()
    sending = page.locator("#video-uploads [data-recording]")
    playwright.expect(sending).to_have_count(1)
    playwright.expect(sending).to_contain_text("Waiting for the network", timeout=30_000)
    playwright.expect(sending).to_contain_text("It is kept on this device.")
    page.context.set_offline(True)
    page.unroute(PIECE_URL)
    video = Video.objects.get()
    held = video.received_bytes
    assert held == 3 * PIECE < video.declared_bytes
    assert video.status == Video.Status.UPLOADING
    assert files_in(video_files) == [
        f"incoming/{video.pk}/{offset:015d}" for offset in (0, PIECE, 2 * PIECE)
    ]
    kept = page.evaluate(
        """() => new Promise((resolve, reject) => {
          const opened = indexedDB.open("tandem-video");
          opened.onerror = () => reject(opened.error);
          opened.onsuccess = () => {
            const read = opened.result.transaction("recordings").objectStore("recordings").getAll();
            read.onsuccess = () => resolve(read.result.map((row) => row.blob?.size));
          };
        })"""
    )
    assert kept == [video.declared_bytes]
    assert only_lost_requests(console.take()) == []

    # While it is away the session ends, as a phone's does overnight; then the network
    # comes back. The page says to sign in again, and keeps the recording.
    page.context.clear_cookies()
    phone.link.restore()
    page.context.set_offline(False)
    playwright.expect(sending).to_contain_text("You were signed out", timeout=15_000)
    playwright.expect(sending).to_contain_text("It is kept on this device")
    sign_in = sending.get_by_role("link", name="sign in again to finish sending")
    assert sign_in.get_attribute("href") == "/accounts/sign-in/?next=/videos/new/"
    assert Video.objects.get().received_bytes == held

    # A reload lands on the sign-in page, which leads back to the recorder; the page sends
    # the rest from where the server stopped, from what this device kept.
    page.reload()
    assert urlsplit(page.url).path == "/accounts/sign-in/"
    assert "next=/videos/new/" in page.url.replace("%2F", "/")
    before_sign_in = len(sent_from)
    phone.fill_in_sign_in(TEACHER, home="/videos/new/")
    assert only_lost_requests(console.take()) == []
    playwright.expect(sending).to_contain_text("Sent.", timeout=90_000)
    resumed = sent_from[before_sign_in:]
    assert resumed[0] == held  # nothing the server held was sent again
    assert resumed == sorted(set(resumed))
    assert [*range(0, held + PIECE, PIECE)] == sorted(set(sent_from))[: held // PIECE + 1]
    no_serious_violations(page, "video/recorder-sent")

    # Once: one video, all of it, made playable (the worker ran once the finishing request
    # committed), and not one piece left on the server.
    video = Video.objects.get()
    assert (video.owner, video.added_by, video.cycle) == (teacher, teacher, cycle)
    assert video.status == Video.Status.READY, video.failure
    assert video.received_bytes == video.declared_bytes
    assert not [name for name in files_in(video_files) if name.startswith("incoming/")]
    probed = stored(video)
    codecs = {stream["codec_type"]: stream["codec_name"] for stream in probed["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert float(probed["format"]["duration"]) == pytest.approx(RECORDED, abs=2)
    assert video.duration == pytest.approx(RECORDED, abs=2)
    assert only_lost_requests(console.take()) == []

    # It plays, and seeks: the browser asks for the middle of the file, and gets it.
    ranges = []  # (Range asked for, status answered) of each request for the file

    def note_range(response):
        if response.url.endswith("/lesson.mp4"):
            ranges.append((response.request.headers.get("range"), response.status))

    page.on("response", note_range)
    with page.expect_navigation():
        sending.get_by_role("link", name="open it").click()
    assert urlsplit(page.url).path == f"/videos/{video.pk}/"
    player = page.locator("#video-player video")
    playwright.expect(player).to_be_visible()
    assert in_page(player, PLAY) > 0
    assert in_page(player, SEEK, 15) == pytest.approx(15, abs=0.5)
    assert any(status == 206 for _, status in ranges), ranges

    # A comment at the paused moment, which then takes the player back there.
    comment_form = page.locator("#video-comment-form")
    comment_form.get_by_role("button", name="Use the paused moment").click()
    playwright.expect(comment_form.get_by_role("textbox", name="At")).to_have_value("0:15")
    comment_form.get_by_label("Text").fill("Wait time after the question: count to five.")
    with page.expect_navigation():
        comment_form.get_by_role("button", name="Add comment").click()
    comment = VideoComment.objects.get()
    assert (comment.video_id, comment.author, comment.moment) == (video.pk, teacher, 15.0)
    playwright.expect(page.locator(".alert", has_text="Comment added.")).to_be_visible()
    line = page.locator(f"#comment-{comment.pk}")
    playwright.expect(line).to_contain_text("Wait time after the question: count to five.")
    playwright.expect(player).to_be_visible()
    assert in_page(player, SEEK, 2) == pytest.approx(2, abs=0.5)
    line.get_by_role("button", name="15 s").click()
    assert in_page(player, REACHED, 15) == pytest.approx(15, abs=1.5)
    no_serious_violations(page, "video/watch")
    assert console.take() == []


def test_a_file_chosen_on_the_phone_is_sent_and_the_page_waits_until_it_plays(
    phone, teacher, cycle, video_files, tmp_path, monkeypatch
):
    # The worker is told later, by this test: the page is opened while the video is still
    # being made playable, and shows the player without being reloaded by anyone.
    queued = []
    monkeypatch.setattr(services, "_queue_processing", queued.append)
    page = phone.page
    console = Console(page)
    phone.sign_in(TEACHER, home="/teacher/")
    phone.goto("/videos/new/")
    page.get_by_label("Title").fill("Fractions, 3rd period")
    page.get_by_label(re.compile("A video or sound file")).set_input_files(
        webm_vp8(tmp_path / "lesson.webm", seconds=2)
    )
    sending = page.locator("#video-uploads [data-recording]")
    playwright.expect(sending).to_contain_text("Sent. It is being made playable:")
    video = Video.objects.get()
    assert queued == [video.pk]
    assert (video.title, video.status) == ("Fractions, 3rd period", Video.Status.PROCESSING)
    assert video.received_bytes == video.declared_bytes == (tmp_path / "lesson.webm").stat().st_size

    with page.expect_navigation():
        sending.get_by_role("link", name="open it").click()
    status = page.locator("#video-status")
    playwright.expect(status).to_contain_text("Being made playable: 0%")
    assert page.locator("#video-player").count() == 0

    services.video_make_playable(queued[0])
    # The status polls every 2 seconds; once ready, the server tells htmx to reload the page.
    playwright.expect(page.locator("#video-player video")).to_be_visible(timeout=10_000)
    playwright.expect(page.locator("[data-ready]")).to_contain_text("Ready · 2 seconds.")
    video.refresh_from_db()
    assert video.status == Video.Status.READY
    assert files_in(video_files) == [f"{video.pk}/lesson.mp4", f"{video.pk}/poster.jpg"]
    assert in_page(page.locator("#video-player video"), PLAY) > 0
    assert console.take() == []
