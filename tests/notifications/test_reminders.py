"""Reminders: each due thing mailed once to whom it concerns, in the school's time, naming
people and never what anyone wrote; and each person's choice of how to hear of it."""

import datetime
import re

import pytest
from django.core import mail

from coaching.models import Partnership, PartnershipMember
from notifications.models import Preference, Reminder
from notifications.reminders import send_reminders
from tests import factories

pytestmark = pytest.mark.django_db

# The frozen clock stands at 05:30 UTC on Monday November 23: 23:30 on Sunday in Chicago,
# the test school's zone.
CANARY = "CANARY-agenda-7f3a"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders()
        return mail.outbox

    return run


def chicago(clock, day, hour, minute=0):
    """Move the clock to this local time in Chicago (November: UTC-6)."""
    local = datetime.datetime(2026, 11, day, hour, minute, tzinfo=datetime.UTC)
    clock.move_to(local + datetime.timedelta(hours=6))


def to(messages, person):
    return [m for m in messages if m.to == [person.email]]


def test_a_meeting_tomorrow_reminds_coach_and_teacher_once(run, partnership, coach, teacher, clock):
    chicago(clock, 23, 15)
    factories.MeetingFactory(
        partnership=partnership,
        kind="debrief",
        starts_at=datetime.datetime(2026, 11, 24, 20, 30, tzinfo=datetime.UTC),  # 14:30 there
        agenda=CANARY,
        notes=CANARY,
    )
    run()
    run()  # beat runs again a quarter of an hour later, or twice at once: nothing more
    assert len(mail.outbox) == 2
    (to_coach,) = to(mail.outbox, coach)
    (to_teacher,) = to(mail.outbox, teacher)
    assert f"Debrief meeting with {teacher.full_name}, Tuesday November 24 at 2:30 pm" in (
        to_coach.body
    )
    assert f"Debrief meeting with {coach.full_name}" in to_teacher.body
    for message in mail.outbox:
        assert CANARY not in message.body
        assert CANARY not in message.subject
        assert "/meetings/" in message.body


def test_a_meeting_further_off_waits_and_a_moved_one_is_reminded_again(run, partnership, clock):
    chicago(clock, 23, 9)
    meeting = factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 25, 16, 0, tzinfo=datetime.UTC),
    )
    assert run() == []
    chicago(clock, 24, 10, 15)  # 23 h 45 min before
    assert len(run()) == 2
    meeting.starts_at -= datetime.timedelta(hours=3)
    meeting.save()
    assert len(run()) == 4
    assert "Wednesday November 25 at 7:00 am" in run()[-1].body
    # Found trying it: moved back to its first time, the meeting was not reminded of again,
    # and both people's latest e-mail gave the wrong hour.
    meeting.starts_at += datetime.timedelta(hours=3)
    meeting.save()
    run()
    assert len(run()) == 6
    assert "Wednesday November 25 at 10:00 am" in mail.outbox[-1].body


def test_no_reminder_of_a_held_meeting_or_of_a_paused_partnership(run, partnership, clock):
    chicago(clock, 23, 9)
    when = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)
    factories.MeetingFactory(partnership=partnership, starts_at=when, held_at=when)
    paused = factories.PartnershipFactory(
        school=partnership.school, status=Partnership.Status.PAUSED
    )
    factories.MeetingFactory(partnership=paused, starts_at=when)
    assert run() == []


def test_a_step_due_tomorrow_reminds_its_owner_from_seven_in_the_morning(
    run, partnership, coach, teacher, clock
):
    chicago(clock, 23, 6, 50)
    factories.NextStepFactory(
        partnership=partnership, due_on=datetime.date(2026, 11, 24), text=CANARY
    )
    factories.NextStepFactory(
        partnership=partnership, owner="coach", due_on=datetime.date(2026, 11, 25)
    )
    assert run() == []  # too early in Chicago
    chicago(clock, 23, 7, 5)
    run()
    run()
    (message,) = mail.outbox
    assert message.to == [teacher.email]
    assert f"agreed with {coach.full_name} is due tomorrow, Tuesday November 24" in message.body
    assert CANARY not in message.body
    # At UTC's midnight Chicago is still on Monday: the coach's step is not due "tomorrow"
    # until Tuesday morning there.
    chicago(clock, 23, 19)
    assert len(run()) == 1
    chicago(clock, 24, 8)
    assert to(run(), coach)


def test_a_cycle_gone_quiet_reminds_its_coach_once_per_quiet_spell(
    run, partnership, cycle, coach, clock
):
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=datetime.datetime(2026, 11, 10, 15, tzinfo=datetime.UTC)
    )
    assert run() == []  # 13 days
    clock.shift(datetime.timedelta(days=1, hours=12))
    run()
    run()
    (message,) = mail.outbox
    assert message.to == [coach.email]
    assert "has had no activity since Tuesday November 10" in message.body
    assert f"/cycles/{cycle.pk}/" in message.body
    # Work resumed, then stopped again: a new quiet spell, a new reminder.
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=datetime.datetime(2026, 11, 12, 15, tzinfo=datetime.UTC)
    )
    clock.shift(datetime.timedelta(days=3))
    assert len(run()) == 2


def test_an_invitation_unanswered_for_a_week_reminds_the_teacher_once(run, coach, school, clock):
    teacher = factories.teacher_at(school)
    invited = factories.PartnershipFactory(
        school=school, coach=coach, status=Partnership.Status.INVITED, teachers=[teacher]
    )
    PartnershipMember.objects.filter(partnership=invited).update(
        invited_at=datetime.datetime(2026, 11, 16, 12, tzinfo=datetime.UTC)
    )
    run()
    clock.shift(datetime.timedelta(days=10))
    run()
    (message,) = mail.outbox
    assert message.to == [teacher.email]
    assert f"{coach.full_name} invited you to a coaching partnership on Monday November 16" in (
        message.body
    )


def test_nobody_deactivated_is_reminded(run, partnership, teacher, coach, clock):
    chicago(clock, 23, 9)
    teacher.is_active = False
    teacher.save()
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC),
    )
    assert [m.to for m in run()] == [[coach.email]]


def test_switched_off_a_kind_sends_nothing(run, partnership, coach, teacher, clock):
    chicago(clock, 23, 9)
    Preference.objects.create(user=coach, kind="meeting", delivery="off")
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC),
    )
    assert [m.to for m in run()] == [[teacher.email]]


def test_once_a_day_gathers_them_into_one_e_mail_from_seven(run, partnership, coach, cycle, clock):
    chicago(clock, 23, 6)
    for kind in ("meeting", "step_due", "cycle_quiet"):
        Preference.objects.create(user=coach, kind=kind, delivery="daily")
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 11, 0, tzinfo=datetime.UTC),
    )
    assert to(run(), coach) == []  # before 7:00 there
    chicago(clock, 23, 7)
    run()
    (first,) = to(mail.outbox, coach)
    assert first.subject == "Tandem: your 1 reminder"
    # Later that day something else falls due: it waits for tomorrow's e-mail.
    chicago(clock, 23, 12)
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=datetime.datetime(2026, 11, 1, 15, tzinfo=datetime.UTC)
    )
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 16, 0, tzinfo=datetime.UTC),
    )
    assert len(to(run(), coach)) == 1
    chicago(clock, 24, 6, 45)
    assert len(to(run(), coach)) == 1
    chicago(clock, 24, 7)
    run()
    run()
    second = to(mail.outbox, coach)[1]
    assert second.subject == "Tandem: your 2 reminders"
    assert "meeting with" in second.body
    assert "no activity since" in second.body
    assert len(to(mail.outbox, coach)) == 2
    assert not Reminder.objects.filter(user=coach, mailed_at__isnull=True).exists()


def test_every_reminder_unsubscribes_in_one_click_without_signing_in(
    run, partnership, coach, client, clock
):
    chicago(clock, 23, 9)
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC),
    )
    (message,) = to(run(), coach)
    link = re.search(
        r"No more e-mails about meetings coming up \(a day before\): (\S+)", message.body
    ).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these e-mails" in page.text
    assert not Preference.objects.exists()  # a link checker's GET changes nothing
    # A mail program's one-click button: a POST with no session and no CSRF token.
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert Preference.objects.get(user=coach, kind="meeting").delivery == "off"


def test_a_forged_or_altered_unsubscribe_link_is_404(client, coach):
    from notifications.reminders import unsubscribe_token

    token = unsubscribe_token(coach, ["meeting"])
    for bad in (token[:-2] + "xx", "not-a-token", unsubscribe_token(coach, ["nonsense"])):
        assert client.post(f"/notifications/unsubscribe/{bad}/").status_code == 404
    assert not Preference.objects.exists()


def test_switched_off_what_waited_for_the_days_e_mail_is_not_sent(
    run, partnership, coach, client, clock
):
    from notifications.reminders import unsubscribe_token

    chicago(clock, 23, 6)
    Preference.objects.create(user=coach, kind="meeting", delivery="daily")
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 11, 0, tzinfo=datetime.UTC),
    )
    run()
    assert Reminder.objects.filter(user=coach, mailed_at__isnull=True).exists()
    client.post(f"/notifications/unsubscribe/{unsubscribe_token(coach, ['meeting'])}/")
    chicago(clock, 23, 7)
    assert to(run(), coach) == []


def test_the_days_e_mail_leaves_out_a_meeting_that_has_begun(run, partnership, coach, clock):
    """Found trying it: booked after the day's e-mail for 6:00 the next morning, a meeting
    was listed at 7:00, an hour after it began."""
    chicago(clock, 23, 8)
    Preference.objects.create(user=coach, kind="meeting", delivery="daily")
    factories.MeetingFactory(
        partnership=partnership,
        kind="reflecting",
        starts_at=datetime.datetime(2026, 11, 24, 13, 30, tzinfo=datetime.UTC),
    )
    assert len(to(run(), coach)) == 1  # today's e-mail of the day: what follows waits
    factories.MeetingFactory(
        partnership=partnership,
        kind="other",
        starts_at=datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC),  # 6:00 there
    )
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=datetime.datetime(2026, 11, 24, 19, 0, tzinfo=datetime.UTC),  # 13:00 there
    )
    chicago(clock, 23, 14)
    assert len(to(run(), coach)) == 1
    chicago(clock, 24, 7)
    message = to(run(), coach)[1]
    assert "Planning meeting with" in message.body
    assert "Meeting with" not in message.body  # the 6:00 one began an hour ago


def test_a_meeting_of_no_particular_kind_is_just_a_meeting(run, partnership, teacher, clock):
    chicago(clock, 23, 15)
    factories.MeetingFactory(
        partnership=partnership,
        kind="other",
        starts_at=datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC),
    )
    (message,) = to(run(), teacher)
    assert "- Meeting with Maya Okafor, Tuesday November 24 at 9:00 am" in message.body
