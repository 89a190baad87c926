"""What has passed its retention period goes in the nightly purge, and nothing else does;
administrators read the periods on "Data we keep"."""

import datetime
import logging

import pytest
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from accounts.models import User
from accounts.services import person_set_active
from coaching.models import CoachNote
from cycles.models import Cycle, Goal
from notifications.models import CalendarFeed, Reminder
from observations.models import AccessEvent, Observation, ObservationNote
from outbox.models import OutboxMessage
from records.tasks import purge_expired_records
from tests import factories

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def periods(settings):
    settings.RETENTION_DAYS = {
        "unshared_drafts": 90,
        "closed_partnerships": 365,
        "access_log": 730,
        "departed_people": 180,
        "sent_mail": 30,
        "lesson_video": 30,
    }
    return settings.RETENTION_DAYS


def test_a_draft_never_shared_goes_after_its_period_and_a_shared_one_stays(periods, cycle, clock):
    draft = factories.ObservationFactory(cycle=cycle)
    factories.ObservationNoteFactory(observation=draft)
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    clock.shift(90 * DAY - datetime.timedelta(seconds=1))
    assert purge_expired_records()["unshared drafts"] == 0
    clock.shift(datetime.timedelta(seconds=2))  # across the boundary
    assert purge_expired_records()["unshared drafts"] == 1
    assert list(Observation.objects.all()) == [shared]
    assert not ObservationNote.objects.exists()
    # The next night finds nothing more.
    assert purge_expired_records()["unshared drafts"] == 0


def test_a_closed_partnerships_observations_and_coach_notes_go_after_its_period(
    periods, partnership, cycle, coach, school, clock
):
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    shared.responses.create(teacher=partnership.teachers.get(), text="Thanks")
    factories.CoachNoteFactory(partnership=partnership, coach=coach)
    open_partnership = factories.PartnershipFactory(school=school, coach=coach)
    kept = factories.ObservationFactory(
        cycle=factories.GoalFactory(cycle__partnership=open_partnership).cycle, status="shared"
    )
    kept_note = factories.CoachNoteFactory(partnership=open_partnership, coach=coach)
    partnership.status, partnership.ended_on = "closed", school.today()
    partnership.save()
    clock.shift(365 * DAY)
    counts = purge_expired_records()
    assert counts["observations of closed partnerships"] == 0  # a year to the day: kept
    clock.shift(DAY)
    counts = purge_expired_records()
    assert counts["observations of closed partnerships"] == 1
    assert counts["coach notes of closed partnerships"] == 1
    assert list(Observation.objects.all()) == [kept]
    assert list(CoachNote.objects.all()) == [kept_note]
    # The cycle and its goal stay: the teacher's record, and the programme's figures.
    assert Cycle.objects.filter(pk=cycle.pk).exists()
    assert Goal.objects.filter(cycle=cycle).exists()


def test_access_log_lines_and_sent_mail_go_after_theirs(periods, teacher, coach, clock):
    AccessEvent.objects.create(
        subject=teacher, actor=coach, action="read", kind="observation",
        record_id="5b1d3c8e-0a4e-4d1e-9d7a-0b5e7f1c2a3d", record_date=timezone.now(),
    )  # fmt: skip
    OutboxMessage.objects.create(key="a", recipient="x@example.org", subject="s", body="b",
                                 sent_at=timezone.now())  # fmt: skip
    unsent = OutboxMessage.objects.create(key="b", recipient="y@example.org", subject="s", body="b")
    Reminder.objects.create(key="r", user=coach, kind="meeting", line="l", path="/",
                            mailed_at=timezone.now())  # fmt: skip
    clock.shift(31 * DAY)
    counts = purge_expired_records()
    assert counts["sent e-mails"] == 2
    assert counts["access log lines"] == 0
    assert list(OutboxMessage.objects.all()) == [unsent]  # never sent: still owed
    clock.shift(700 * DAY)
    assert purge_expired_records()["access log lines"] == 1
    assert not AccessEvent.objects.exists()


def test_a_departed_person_is_forgotten_after_theirs(
    periods, school_admin, teacher, cycle, clock, client_for
):
    CalendarFeed.objects.create(user=teacher)
    SocialAccount.objects.create(
        user=teacher, provider="google", uid="1043", extra_data={"email": "daniel@example.org"}
    )
    person_set_active(actor=school_admin, user=teacher, active=False)
    clock.shift(180 * DAY)
    assert purge_expired_records()["departed people"] == 0
    # Until then the departed teacher may still download their records.
    assert client_for(teacher).get("/my-records/").status_code == 200
    clock.shift(DAY)
    assert purge_expired_records()["departed people"] == 1
    teacher.refresh_from_db()
    assert teacher.full_name == "Former member"
    assert "daniel" not in teacher.email
    assert not teacher.has_usable_password()
    assert not teacher.memberships.exists()
    assert not CalendarFeed.objects.filter(user=teacher).exists()
    assert not SocialAccount.objects.filter(user=teacher).exists()
    assert purge_expired_records()["departed people"] == 0
    # Reactivated people are never forgotten: the clock stops.
    assert User.objects.filter(full_name="Former member").count() == 1


def test_reactivation_stops_the_clock(periods, school_admin, teacher, clock):
    person_set_active(actor=school_admin, user=teacher, active=False)
    clock.shift(100 * DAY)
    person_set_active(actor=school_admin, user=teacher, active=True)
    clock.shift(200 * DAY)
    assert purge_expired_records()["departed people"] == 0
    teacher.refresh_from_db()
    assert teacher.full_name == "Daniel Reyes"


def test_the_purge_logs_counts_and_never_a_name_or_a_word(periods, cycle, clock, caplog):
    factories.ObservationFactory(cycle=cycle, strengths="CANARY-PURGED-1")
    clock.shift(91 * DAY)
    with caplog.at_level(logging.INFO, logger="records.retention"):
        purge_expired_records()
    (record,) = [r for r in caplog.records if r.name == "records.retention"]
    assert "'unshared drafts': 1" in record.getMessage()
    assert "CANARY" not in caplog.text
    assert cycle.partnership.coach.full_name not in caplog.text


def test_it_deletes_in_chunks(periods, cycle, clock, monkeypatch):
    from records import retention

    monkeypatch.setattr(retention, "CHUNK", 2)
    for _ in range(5):
        factories.ObservationFactory(cycle=cycle)
    clock.shift(91 * DAY)
    assert purge_expired_records()["unshared drafts"] == 5


@pytest.mark.parametrize("persona", ["school_admin", "district_admin"])
def test_administrators_read_the_periods(request, client_for, periods, persona):
    page = client_for(request.getfixturevalue(persona)).get("/data-we-keep/")
    assert page.status_code == 200
    assert "Data we keep" in page.text
    assert "90 days" in page.text
    assert "365 days" in page.text
    assert "24 hours" in page.text


@pytest.mark.parametrize("persona", ["coach", "teacher"])
def test_coaches_and_teachers_have_no_such_page(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get("/data-we-keep/").status_code == 404
