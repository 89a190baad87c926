"""The working loop as people meet it, in a real browser: (1) a coach invites a teacher, the
teacher accepts, they set a PEERS goal, the coach observes a lesson on a phone, writes
feedback beside the notes and shares it, the teacher answers and adds progress, the cycle
closes; (2) the principal reads the school report and exports it; (3) the district
administrator compares schools.

Each journey counts the coach's taps where speed is the promise (logging time, observing),
checks every page it opens with axe-core at 1280 px and at 390 px (no serious or critical
violation), and writes a screenshot of each step at both widths to TANDEM_JOURNEY_SHOTS
(default `build/journeys/`).

Each journey then runs once more in every other language of settings.LANGUAGES, on a phone
(390 px) only: the browser asks for that language (Accept-Language), so everyone signing in
for the first time takes it; every step has `<html lang>` in it, axe's language rules pass,
and no English message id of the catalogue shows (tests/support/translation.py). Nothing in
a journey is written in another language than English: what it looks for is the English
message id, read from the catalogue in the journey's language (tests/support/words.py).
Its screenshots go to `<journey>-<lang>/`."""

import base64
import csv
import datetime
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.oath import totp

from accounts.models import User
from coaching.models import ActivityEntry, Partnership
from cycles.models import Cycle
from observations.models import Observation, ObservationNote
from reports import export
from tests import factories
from tests.support.browser import browser_test, playwright
from tests.support.translation import english_left
from tests.support.words import one_of, said, said_js, saying

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)

pytestmark = browser_test

SHOTS = Path(os.environ.get("TANDEM_JOURNEY_SHOTS", "build/journeys"))
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
AXE = axe_playwright.Axe()
DEMO_ADMIN_KEY = "KRQW4ZDFNUQGIZLNN4QGWZLZ"  # devdata/demo/people.py publishes it for the demo
# Every journey runs in each language: in English as it always has, in each other once, on
# a phone, with a browser that asks for it as a reader there would (Accept-Language).
SOURCE = settings.LANGUAGE_CODE
LANGUAGES = [code for code, _name in settings.LANGUAGES]
BROWSER_LOCALES = {"es": "es-MX"}
# axe's rules about languages, which a page in another language must run and pass: its
# <html lang>, that it is a real language, and the lang of each part in another (the
# language switch names each language in itself).
LANGUAGE_RULES = {"html-has-lang", "html-lang-valid", "valid-lang"}
in_each_language = pytest.mark.parametrize("lang", LANGUAGES)


class Journey:
    """One person's way through the site: counted taps, and every page checked and pictured.

    In a language other than English (`lang`), on a phone whatever `width` says, and each
    page is also checked to be in that language."""

    def __init__(self, browser, live_server, name, width="phone", lang=SOURCE):
        self.lang, self.widths, options = lang, WIDTHS, {}
        if lang != SOURCE:
            name, width = f"{name}-{lang}", "phone"
            self.widths = {"phone": WIDTHS["phone"]}
            options["locale"] = BROWSER_LOCALES.get(lang, lang)
        w, h = WIDTHS[width]
        self.context = browser.new_context(viewport={"width": w, "height": h}, **options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.url, self.name, self.width = live_server.url, name, width
        self.steps, self.taps = 0, 0
        shutil.rmtree(SHOTS / name, ignore_errors=True)
        (SHOTS / name).mkdir(parents=True)

    def go(self, path):
        self.page.goto(self.url + path)

    def tap(self, locator):
        """A tap or click the person makes (typing is not counted)."""
        self.taps += 1
        locator.click()

    def choose(self, select, value):
        self.taps += 1
        select.select_option(value)

    def check(self, step):
        """axe at both widths (in another language, at the phone's only), and a screenshot
        of each, then back to this person's width."""
        self.steps += 1
        self.page.wait_for_load_state()
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        if self.lang != SOURCE:
            self.in_its_language(step)
        for width, (w, h) in self.widths.items():
            self.page.set_viewport_size({"width": w, "height": h})
            # The mouse is parked where the last tap was: at another width, another button
            # lies under it, and axe would judge that one's hover colours.
            self.page.mouse.move(0, 0)
            response = AXE.run(self.page).response
            violations = [
                v for v in response["violations"] if v["impact"] in ("serious", "critical")
            ]
            assert not violations, f"{self.name} / {step} at {w}px: " + "; ".join(
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in violations
            )
            if self.lang != SOURCE:
                # Longer words than English's must wrap, not push the page sideways.
                wider = self.page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert wider <= 0, f"{self.name} / {step}: {wider}px wider than the screen"
                unpassed = LANGUAGE_RULES - {rule["id"] for rule in response["passes"]}
                assert not unpassed, f"{self.name} / {step}: axe did not pass {unpassed}"
            self.page.screenshot(
                path=SHOTS / self.name / f"{self.steps:02d}-{slug}-{width}.png", full_page=True
            )
        w, h = WIDTHS[self.width]
        self.page.set_viewport_size({"width": w, "height": h})

    def in_its_language(self, step):
        """The page says it is in the journey's language, and shows no English left."""
        where = f"{self.name} / {step}"
        lang = self.page.locator("html").get_attribute("lang")
        assert lang == self.lang, f"{where}: <html lang={lang!r}>"
        left = english_left(self.page.content(), self.lang)
        assert not left, f"{where}: still in English: {left}"

    def menu(self):
        """The main navigation: on a narrow screen, opened first with its button."""
        toggler = self.page.get_by_role("button", name=said(self.lang, "Show navigation"))
        if toggler.is_visible():
            self.tap(toggler)
        return self.page.locator("#main-nav")

    def sign_in(self, email, password="a-good-password", *, code_key=None):
        self.go("/accounts/sign-in/")
        self.check("sign in")
        self.page.fill("input[name=username]", email)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        if code_key:
            self.page.wait_for_url(re.compile(r"/two-step/"))
            self.check("two-step code")
            self.page.fill("input[name=code]", f"{totp(base64.b32decode(code_key)):06d}")
            self.page.locator(
                "form button[type=submit]", has_text=said(self.lang, "Continue")
            ).click()
        self.page.wait_for_url(re.compile(r"/(coach|coaches|teacher|schools|districts|)/?$"))
        if self.lang != SOURCE:
            # Their first sign-in: the browser's language is theirs from now on.
            assert User.objects.get(email=email).language == self.lang


@pytest.fixture
def people(transactional_db):
    district = factories.DistrictFactory(name="Riverside Unified")
    school = factories.SchoolFactory(district=district, name="Riverside Elementary")
    factories.StrategyFactory(district=district, title="Turn and talk")
    factories.coach_at(school, user__full_name="Maya Okafor", user__email="maya@x.org")
    factories.teacher_at(school, user__full_name="Daniel Reyes", user__email="daniel@x.org")
    return school


@in_each_language
def test_a_coaching_cycle_from_invitation_to_close(browser, live_server, people, lang):
    school = people
    coach = Journey(browser, live_server, "1-coach", width="phone", lang=lang)
    teacher = Journey(browser, live_server, "1-teacher", width="phone", lang=lang)
    c, t = coach.page, teacher.page

    # The coach invites the teacher.
    coach.sign_in("maya@x.org")
    coach.check("coach home, empty")
    c.get_by_role("link", name=said(lang, "Invite a teacher")).first.click()
    coach.check("invite a teacher")
    c.get_by_label("Daniel Reyes").check()
    c.get_by_role("button", name=one_of(lang, "Invite", "Send the invitation")).click()
    coach.check("partnership invited")
    partnership = Partnership.objects.get()

    # The teacher reads the agreement and accepts.
    teacher.sign_in("daniel@x.org")
    teacher.check("teacher home with the invitation")
    t.get_by_role("link", name=said(lang, "Read and answer")).click()
    teacher.check("the invitation")
    t.get_by_role("button", name=said(lang, "Accept the invitation")).click()
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE

    # They start a cycle and set a PEERS goal.
    coach.go(f"/partnerships/{partnership.pk}/")
    coach.check("partnership")
    c.get_by_role("link", name=said(lang, "Start a cycle")).click()
    coach.check("start a cycle")
    c.locator("[name=title]").fill("Every voice in maths talk")
    c.locator("[name=focus_area]").select_option(index=1)
    c.get_by_role("button", name=said(lang, "Start the cycle")).click()
    c.wait_for_url(re.compile(r"/goal/$"))  # a new cycle asks for its goal first
    coach.check("goal form")
    c.locator("[name=statement]").fill("80% of students explain their reasoning to a partner.")
    c.locator("[name=measure]").fill("Students explaining in a 10-minute talk")
    c.locator("[name=unit]").fill("%")
    # The optional part, folded at first.
    c.locator(
        "summary",
        has_text=said(
            lang,
            "Later, or now if you know them: PEERS checks, baseline and target, strategy, "
            "learning targets",
        ),
    ).click()
    for box in c.locator("input[type=checkbox]").all():
        box.check()
    c.locator("[name=baseline]").fill("35")
    c.locator("[name=target]").fill("80")
    c.locator("[name=target_date]").fill(str(school.today() + datetime.timedelta(days=40)))
    c.get_by_role("button", name=said(lang, "Propose the goal")).click()
    coach.check("cycle with its goal")
    cycle = Cycle.objects.get()
    assert cycle.goal.peers_checked

    # From the coach home: one tap to observe that teacher, then the first note.
    coach.go("/coach/")
    coach.check("coach home")
    coach.taps = 0
    coach.tap(c.locator(".partnership-row").get_by_role("button", name=said(lang, "Observe")))
    c.wait_for_url(re.compile(r"/capture/$"))
    assert c.evaluate("document.activeElement.id") == "note-text"
    c.keyboard.type("8 of 24 students explain to a partner in the launch.")
    coach.tap(c.get_by_role("button", name=said(lang, "Add note")))
    playwright.expect(c.locator("#sync-status")).to_have_text(
        said_js(lang, "Everything is saved."), timeout=12_000
    )
    assert coach.taps <= 2, f"observe to first note took {coach.taps} taps"
    assert ObservationNote.objects.count() == 1
    coach.check("capture")

    # Logging 30 minutes of conversation with Daniel: at most three interactions.
    coach.go("/coach/")
    coach.taps = 0
    coach.tap(c.locator(".partnership-row").get_by_role("link", name=said(lang, "Log time")))
    thirty = saying(lang, '%(minutes)s min<span class="visually-hidden"> today</span>', minutes=30)
    coach.tap(c.get_by_role("button", name=re.compile(f"^{thirty.pattern}")))
    c.wait_for_url(re.compile(r"/coach/"))
    assert coach.taps <= 3, f"logging time took {coach.taps} interactions"
    entry = ActivityEntry.objects.get(kind="conversation")
    assert (entry.minutes, entry.partnership_id) == (30, partnership.pk)
    logged = "Logged %(minutes)s minutes of %(kind)s with %(names)s on %(day)s."
    playwright.expect(c.get_by_role("alert")).to_contain_text(
        saying(
            lang,
            logged,
            plural=logged,
            n=30,
            minutes=30,
            kind=said(lang, "Coaching conversation").lower(),
            names="Daniel Reyes",
        )
    )
    coach.check("time logged")
    coach.go("/activity/")
    coach.check("activity log")
    playwright.expect(c.get_by_role("cell", name="Daniel Reyes").first).to_be_visible()
    # The generic way in asks whose lesson, and chooses nobody for the coach.
    coach.go("/observations/new/")
    coach.check("observe a lesson")
    assert c.locator("[name=cycle]").input_value() == ""
    coach.go("/coach/")

    # Feedback beside the notes, then a preview of what the teacher will see, then share.
    lesson = saying(lang, "%(names)s’s lesson of %(day)s", names="Daniel Reyes")
    c.get_by_role("link", name=lesson).click()
    coach.check("feedback beside the notes")
    playwright.expect(c.get_by_text("8 of 24 students explain")).to_be_visible()
    c.locator("[name=strengths]").fill("Pairs were set up before the task: talk started fast.")
    c.locator("[name=wonderings]").fill("I wonder what a sentence starter would add.")
    c.get_by_role("button", name=said(lang, "Save feedback")).click()
    coach.check("observation")
    c.get_by_role(
        "link", name=said(lang, "Share with %(names)s&hellip;", names="Daniel Reyes")
    ).click()
    coach.check("share preview")
    playwright.expect(c.get_by_text("Pairs were set up before the task")).to_be_visible()
    assert Observation.objects.get().status == Observation.Status.DRAFT
    c.get_by_role("button", name=said(lang, "Share with %(names)s", names="Daniel Reyes")).click()
    assert Observation.objects.get().status == Observation.Status.SHARED

    # The teacher reads, answers and adds progress.
    teacher.go("/teacher/")
    teacher.check("teacher home with feedback")
    t.get_by_role("link", name=said(lang, "Read the feedback")).first.click()
    teacher.check("the feedback")
    t.locator("[name=text]").fill("Yes, let's try starters on Thursday.")
    t.get_by_role("button", name=said(lang, "Send my reply")).click()
    teacher.go("/my-records/feedback/")
    teacher.check("my feedback")
    playwright.expect(
        t.get_by_text(saying(lang, "Read %(date)s", context="feedback"))
    ).to_be_visible()
    teacher.go("/teacher/")
    t.get_by_role("link", name=said(lang, "Add a progress point")).click()
    teacher.check("add progress")
    t.locator("[name=value]").fill("55")
    t.get_by_role("button", name=said(lang, "Add point")).click()
    teacher.check("cycle with progress")
    assert cycle.goal.progress.count() == 1
    teacher.go("/my-records/access/")
    teacher.check("who read my records")

    # The coach closes the cycle.
    coach.go(f"/cycles/{cycle.pk}/close/")
    coach.check("close the cycle")
    c.get_by_label(said(lang, "Goal partly met")).check()
    c.get_by_role("button", name=said(lang, "Close the cycle")).click()
    coach.check("closed cycle")
    cycle.refresh_from_db()
    assert cycle.phase == Cycle.Phase.CLOSED


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def read_download(download, lang=SOURCE) -> list[dict[str, str]]:
    """The export's rows, each by its column's English name (reports/export.py's HEADER):
    the file names its columns, and its rows' status, in the reader's language."""
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    header, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    assert all(len(row) == len(header) for row in rows), "one table, one header"
    assert header == [said(lang, column) for column in export.HEADER]
    rows = [dict(zip(export.HEADER, row, strict=True)) for row in rows]
    statuses = {said(lang, status) for status in (export.SHOWN, export.HIDDEN, export.NO_FIGURE)}
    assert {row["status"] for row in rows} <= statuses
    return rows


@in_each_language
def test_the_principal_reads_the_school_report_and_exports_it(browser, live_server, demo, lang):
    principal = Journey(browser, live_server, "2-principal", width="phone", lang=lang)
    p = principal.page
    principal.sign_in("principal@example.org", "tandem-demo", code_key=DEMO_ADMIN_KEY)
    principal.check("school report")
    playwright.expect(p.get_by_role("heading", level=1)).to_contain_text("Riverside Elementary")
    with p.expect_download() as download:
        p.get_by_role("link", name=said(lang, "Export CSV")).click()
    rows = read_download(download.value, lang)
    assert len(rows) > 5
    assert not any("@" in cell for row in rows for cell in row.values())
    principal.go("/people/")
    principal.check("people and roles")


@in_each_language
def test_the_district_administrator_compares_schools(browser, live_server, demo, lang):
    lead = Journey(browser, live_server, "3-district", width="desktop", lang=lang)
    d = lead.page
    lead.sign_in("district@example.org", "tandem-demo", code_key=DEMO_ADMIN_KEY)
    lead.check("district report")
    schools = d.locator("section[aria-labelledby=schools-heading]")
    playwright.expect(schools).to_contain_text("Riverside Elementary")
    playwright.expect(schools).to_contain_text("Hillcrest Middle School")
    with d.expect_download() as download:
        d.get_by_role("link", name=said(lang, "Export CSV")).click()
    assert len(read_download(download.value, lang)) > 5
    lead.go("/library/")
    lead.check("library")
