"""Each person's meetings as a private iCalendar feed: parsed back with `icalendar`."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

CANARY = "CANARY-meeting-notes-91c2"


def feed_path(client):
    page = client.get("/calendar/").text
    return re.search(
        r'<code id="feed-url">http://testserver(/calendar/[^<]+\.ics)</code>', page
    ).group(1)


def events(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def test_coach_and_teacher_see_their_meeting_with_whom_and_when(
    client_for, client, partnership, coach, teacher
):
    starts = datetime.datetime(2026, 11, 25, 21, 0, tzinfo=datetime.UTC)
    meeting = factories.MeetingFactory(
        partnership=partnership, kind="debrief", starts_at=starts, duration_minutes=45,
        agenda=CANARY, notes=CANARY,
    )  # fmt: skip
    coach_feed = feed_path(client_for(coach))
    teacher_feed = feed_path(client_for(teacher))
    client.logout()  # calendar programs have no session
    (event,) = events(client, coach_feed).values()
    assert str(event["uid"]) == f"{meeting.pk}@tandem"
    assert str(event["summary"]) == f"Debrief meeting with {teacher.full_name}"
    assert event.decoded("dtstart") == starts
    assert event.decoded("dtend") == starts + datetime.timedelta(minutes=45)
    assert str(event["url"]).endswith(f"/meetings/{meeting.pk}/")
    (event,) = events(client, teacher_feed).values()
    assert str(event["summary"]) == f"Debrief meeting with {coach.full_name}"
    assert CANARY not in client.get(coach_feed).text
    assert CANARY not in client.get(teacher_feed).text


def test_a_moved_meeting_moves_under_the_same_uid(client_for, client, partnership, coach):
    meeting = factories.MeetingFactory(partnership=partnership)
    path = feed_path(client_for(coach))
    before = events(client, path)
    meeting.starts_at += datetime.timedelta(days=1, hours=2)
    meeting.save()
    after = events(client, path)
    assert before.keys() == after.keys()
    uid = f"{meeting.pk}@tandem"
    assert after[uid].decoded("dtstart") == meeting.starts_at


def test_nobody_else_s_meetings_and_none_from_a_partnership_they_left(
    client_for, client, partnership, coach, other_coach, colleague, school_admin
):
    factories.MeetingFactory(partnership=partnership)
    for person in (other_coach, colleague, school_admin):
        assert events(client, feed_path(client_for(person))) == {}
    # A teacher who left the partnership no longer sees its meetings.
    teacher_feed = feed_path(client_for(partnership.members.get().teacher))
    partnership.members.update(status="declined")
    assert events(client, teacher_feed) == {}


def test_a_new_address_retires_the_old_one(client_for, client, coach):
    signed_in = client_for(coach)
    old = feed_path(signed_in)
    response = signed_in.post("/calendar/new-address/")
    assert response.status_code == 302
    new = feed_path(signed_in)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unknown_address_or_a_deactivated_person_is_404(client_for, client, coach):
    path = feed_path(client_for(coach))
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    coach.is_active = False
    coach.save()
    assert client.get(path).status_code == 404


def test_the_feed_costs_the_same_with_1_or_25_meetings(client_for, client, partnership, coach):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = feed_path(client_for(coach))
    counts = []
    for n in (1, 24):
        for _ in range(n):
            factories.MeetingFactory(partnership=partnership)
            factories.MeetingFactory(
                partnership=factories.PartnershipFactory(coach=coach, school=partnership.school)
            )
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_calendar_programs_may_check_the_address_with_head(client_for, client, coach):
    path = feed_path(client_for(coach))
    assert client.head(path).status_code == 200


def test_a_reactivated_person_gets_a_new_address_and_the_old_one_stays_dead(
    client, client_for, coach, school_admin, partnership
):
    factories.MeetingFactory(partnership=partnership)
    old = feed_path(client_for(coach))
    admin = client_for(school_admin)
    admin.post(f"/people/{coach.pk}/active/", {"active": "0"})
    admin.post(f"/people/{coach.pk}/active/", {"active": "1"})
    client.logout()
    # Whoever kept the address from before (a shared calendar, a former device) reads
    # nothing of the person's meetings once they are back.
    assert client.get(old).status_code == 404
    new = feed_path(client_for(coach))
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert len(events(client, new)) == 1


def edit(client, meeting, **changes):
    """The coach saves the meeting's edit page, changing only what `changes` names."""
    local = meeting.starts_at.astimezone(meeting.partnership.school.zone)
    data = {
        "kind": meeting.kind,
        "starts_at": f"{local:%Y-%m-%dT%H:%M}",
        "duration_minutes": str(meeting.duration_minutes),
        "agenda": meeting.agenda,
        "notes": meeting.notes,
        **changes,
    }
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302, response.text
    meeting.refresh_from_db()


def test_each_fetch_stamps_an_event_with_when_it_last_changed_not_with_now(
    client_for, client, partnership, coach, clock
):
    meeting = factories.MeetingFactory(partnership=partnership)
    path = feed_path(client_for(coach))
    uid = f"{meeting.pk}@tandem"
    first = events(client, path)[uid]
    clock.shift(datetime.timedelta(hours=3))
    again = events(client, path)[uid]
    # A calendar compares these to tell a changed event from one fetched again.
    assert again.decoded("dtstamp") == first.decoded("dtstamp") == meeting.created_at
    assert again.decoded("last-modified") == first.decoded("last-modified") == meeting.created_at
    assert again.decoded("sequence") == first.decoded("sequence") == 0


def test_a_moved_meeting_raises_its_sequence_and_says_when_it_moved(
    client_for, client, partnership, coach, clock
):
    meeting = factories.MeetingFactory(partnership=partnership)
    coach_client = client_for(coach)
    path = feed_path(coach_client)
    uid = f"{meeting.pk}@tandem"
    clock.shift(datetime.timedelta(hours=1))
    moved_at = timezone.now()
    edit(coach_client, meeting, starts_at="2026-11-26T09:00")
    moved = events(client, path)[uid]
    assert moved.decoded("sequence") == 1
    assert moved.decoded("last-modified") == moved_at
    assert moved.decoded("dtstamp") == moved_at
    clock.shift(datetime.timedelta(hours=1))
    lengthened_at = timezone.now()
    edit(coach_client, meeting, duration_minutes="60")  # longer is a move too
    longer = events(client, path)[uid]
    assert longer.decoded("sequence") == 2
    assert longer.decoded("last-modified") == lengthened_at
    assert longer.decoded("dtend") - longer.decoded("dtstart") == datetime.timedelta(hours=1)


def test_a_new_agenda_does_not_move_the_meeting_in_calendars(
    client_for, client, partnership, coach, clock
):
    meeting = factories.MeetingFactory(partnership=partnership)
    coach_client = client_for(coach)
    path = feed_path(coach_client)
    uid = f"{meeting.pk}@tandem"
    clock.shift(datetime.timedelta(hours=1))
    edit(coach_client, meeting, agenda="Bring the exit tickets.", notes="Later.")
    event = events(client, path)[uid]
    assert event.decoded("sequence") == 0
    assert event.decoded("dtstart") == meeting.starts_at
