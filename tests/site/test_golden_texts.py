"""What Tandem writes outside its pages, word for word, in each language: the e-mails, the
calendar feed, the CSV exports and the portfolio, against the texts kept in
tests/golden/<language>/. A changed word fails here until the golden text is looked at
and written again: `TANDEM_UPDATE_GOLDEN=1 pytest tests/site/test_golden_texts.py`.

Each is made for a reader whose language is the one checked, with nobody's request around
it where the real one has none (a task, a calendar program), so it shows that the reader's
own language is what is used.
"""

import datetime
import os
import re
from pathlib import Path

import factory.random
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from coaching.services import meeting_cancel, partnership_invite
from growth.services import support_offer
from notifications.digest import send_digests
from observations.services import observation_share, observation_write_feedback
from outbox.models import OutboxMessage
from tests import factories
from tests.notifications.test_calendar_feed import events, feed_path
from tests.notifications.test_digest import a_week_of_coaching
from tests.records import test_export
from tests.records.test_export import export_for

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
team = test_export.team  # the team partnership whose records a teacher takes away
UPDATE = os.environ.get("TANDEM_UPDATE_GOLDEN") == "1"
# What changes from run to run and is not a word: ids, keys, signatures.
VARYING = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"(?<=/)\d+(?=/)"), "<id>"),
    (re.compile(r"(?<=[?&]t=)[\w:.-]+|(?<=/calendar/)[\w-]+(?=\.ics)"), "<key>"),
    (re.compile(r"(?<=/welcome/)[\w-]+/[\w-]+"), "<key>"),
    (re.compile(r"(?<=/unsubscribe/)[\w:.-]+"), "<key>"),
    (re.compile(r"person\d+@example\.org"), "person@example.org"),
]


@pytest.fixture(autouse=True)
def same_words_every_run():
    factory.random.reseed_random("tandem golden texts")


def steady(text: str) -> str:
    for pattern, mark in VARYING:
        text = pattern.sub(mark, text)
    return text.replace("\r\n", "\n")


def assert_golden(name: str, lang: str, text: str) -> None:
    path = GOLDEN / lang / name
    text = steady(text)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no golden text {path}: run with TANDEM_UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(), f"{path} differs"


def reads(person, lang):
    person.language = lang
    person.save(update_fields=["language"])
    return person


def mail_text(message: OutboxMessage) -> str:
    text = f"Subject: {message.subject}\n\n{message.body}"
    return text + (f"\n---- HTML ----\n{message.html}" if message.html else "")


def sent(key_start: str) -> OutboxMessage:
    return OutboxMessage.objects.get(key__startswith=key_start)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_invitation_to_a_partnership(lang, coach, school):
    invited = reads(factories.teacher_at(school, user__full_name="Ana Torres"), lang)
    partnership_invite(actor=coach, school=school, teachers=[invited])
    assert_golden("mail-partnership-invitation.txt", lang, mail_text(sent("invitation:")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feedback_shared(lang, coach, teacher, world):
    reads(teacher, lang)
    observation_write_feedback(
        actor=coach, observation=world.draft, strengths="Clear", wonderings="Pairs?", next_steps=""
    )
    observation_share(actor=coach, observation=world.draft)
    assert_golden("mail-feedback-shared.txt", lang, mail_text(sent("feedback-shared:")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_meeting_called_off(lang, coach, teacher, partnership):
    reads(teacher, lang)
    meeting = factories.MeetingFactory(
        partnership=partnership,
        kind="planning",
        starts_at=datetime.datetime(2026, 12, 9, 21, 30, tzinfo=datetime.UTC),
    )
    meeting_cancel(actor=coach, meeting=meeting)
    assert_golden("mail-meeting-cancelled.txt", lang, mail_text(sent("meeting-cancelled:")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_lead_offers_support(lang, coach, other_coach):
    reads(other_coach, lang)
    lead = factories.lead_at(other_coach.memberships.get().school, user__full_name="Nora Castillo")
    support_offer(actor=lead, coach=other_coach)
    assert_golden("mail-lead-offer.txt", lang, mail_text(sent("lead-offer:")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_monday_digest(lang, world, coach, school, clock, django_capture_on_commit_callbacks):
    reads(coach, lang)
    a_week_of_coaching(world, coach, school)
    clock.move_to(datetime.datetime(2026, 11, 23, 13, 0, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        send_digests()
    assert len(mail.outbox) == 1
    assert_golden("mail-digest.txt", lang, mail_text(sent("digest:")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_calendar_feed(lang, coach, teacher, partnership):
    factories.MeetingFactory(
        partnership=partnership,
        kind="debrief",
        starts_at=datetime.datetime(2026, 11, 25, 21, 0, tzinfo=datetime.UTC),
        duration_minutes=45,
    )
    path = feed_path(factories.sign_in(Client(), reads(coach, lang)))
    feed = Client().get(path)  # a calendar program: no session, no language of its own
    assert events(Client(), path)
    assert_golden("calendar.ics", lang, feed.content.decode())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_coachs_activity_export(lang, coach, school):
    for day, minutes, kind in ((16, 45, "conversation"), (18, 30, "observation")):
        factories.ActivityEntryFactory(
            coach=coach,
            school=school,
            date=datetime.date(2026, 11, day),
            minutes=minutes,
            kind=kind,
        )
    response = factories.sign_in(Client(), reads(coach, lang)).get("/activity/export.csv")
    assert_golden("activity.csv", lang, response.content.decode("utf-8-sig"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_teachers_records_and_portfolio(
    lang, teacher, team, django_capture_on_commit_callbacks
):
    client = factories.sign_in(Client(), reads(teacher, lang))
    files = export_for(client, django_capture_on_commit_callbacks)
    for name in ("README.txt", "portfolio.html", "csv/cycles.csv", "csv/observations.csv"):
        assert_golden(f"records-{name.replace('/', '-')}", lang, files[name])
