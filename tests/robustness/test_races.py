"""Nothing happens twice: the same act fired from many requests at once has one effect, and
every other request gets the message a late second click would get, never a 500.

Real concurrency needs PostgreSQL's row locks (SQLite runs one writer at a time), so these
run under .ci/run. The same double submits, one after another, are in
tests/robustness/test_double_submits.py and run everywhere.
"""

import datetime
import threading
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from accounts.models import RoleInvitation, User
from coaching.models import ActivityEntry, Partnership
from cycles.models import Cycle, Goal, PhaseChange
from observations.models import AccessEvent
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under real concurrency need PostgreSQL: run under .ci/run",
    ),
    pytest.mark.django_db(transaction=True),
]

TIMES = 8


def fire(person, post, times=TIMES):
    """Sign `person` in on `times` clients, then have each call `post(client)` at once.
    Returns the status codes; an exception (a 500) fails the test with its traceback."""
    clients = []
    for _ in range(times):
        client = factories.sign_in(Client(raise_request_exception=True), person)
        clients.append(client)
    barrier = threading.Barrier(times)
    codes, errors = [], []

    def run(client):
        try:
            barrier.wait(timeout=20)
            codes.append(post(client).status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(codes) == times
    assert all(code < 500 for code in codes), codes
    return codes


def test_parallel_cycle_starts_start_one_cycle(coach, partnership):
    area = partnership.school.district.focus_areas.first()
    fire(
        coach,
        lambda c: c.post(
            f"/partnerships/{partnership.pk}/cycles/new/",
            {"title": "Checking for understanding", "focus_area": area.pk},
        ),
    )
    assert Cycle.objects.filter(partnership=partnership).count() == 1


def test_parallel_first_goals_make_one_goal(coach, partnership):
    cycle = factories.CycleFactory(partnership=partnership)
    data = {
        "statement": "80% of students explain their reasoning.",
        "measure": "Exit tickets",
        "unit": "%",
        "baseline": "30",
        "target": "80",
        "target_date": cycle.started_on.replace(year=cycle.started_on.year + 1).isoformat(),
    }
    fire(coach, lambda c: c.post(f"/cycles/{cycle.pk}/goal/", data))
    assert Goal.objects.filter(cycle=cycle).count() == 1


def test_parallel_meeting_held_logs_the_minutes_once(coach, partnership):
    meeting = factories.MeetingFactory(
        partnership=partnership, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    fire(coach, lambda c: c.post(f"/meetings/{meeting.pk}/held/"))
    assert ActivityEntry.objects.filter(meeting=meeting).count() == 1


def test_parallel_phase_advances_move_one_phase(coach, cycle):
    assert cycle.phase == "learn"
    fire(coach, lambda c: c.post(f"/cycles/{cycle.pk}/advance/", {"phase": "learn"}))
    cycle.refresh_from_db()
    assert cycle.phase == "improve"
    assert PhaseChange.objects.filter(cycle=cycle, phase="improve").count() == 1


def test_parallel_invitations_make_one_partnership_and_one_email(coach, teacher, school):
    data = {"teachers": [teacher.pk], "title": "", "agreement": "Between us."}
    fire(coach, lambda c: c.post("/partnerships/new/", data), times=5)
    assert Partnership.objects.filter(coach=coach).count() == 1
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_parallel_shares_share_once(coach, teacher, cycle):
    observation = factories.ObservationFactory(cycle=cycle)
    fire(coach, lambda c: c.post(f"/observations/{observation.pk}/share/"), times=5)
    shared = AccessEvent.objects.filter(record_id=observation.pk, action="shared")
    assert [event.repeats for event in shared] == [1]
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_parallel_invitations_of_one_new_address_make_one_account(school_admin, school):
    data = {
        "full_name": "Ada Lovelace",
        "email": "ada@example.org",
        "role": "teacher",
        "school": school.pk,
    }
    fire(school_admin, lambda c: c.post("/people/invite/", data))
    assert User.objects.filter(email="ada@example.org").count() == 1
    assert RoleInvitation.objects.filter(user__email="ada@example.org").count() == 1
    assert len(mail.outbox) == 1


def test_parallel_roster_imports_of_the_same_people_add_them_once(school_admin, school):
    text = "".join(f"Person {i},person{i}@example.org,teacher\n" for i in range(50))

    def post(client):
        upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
        return client.post("/people/import/", {"school": school.pk, "roster": upload})

    fire(school_admin, post, times=4)
    assert User.objects.filter(email__startswith="person").count() == 50
    assert RoleInvitation.objects.filter(school=school, role="teacher").count() == 50


def test_parallel_copies_of_one_form_save_one_next_step(coach, partnership):
    data = {"text": "Try think-pair-share", "owner": "teacher", "submission": str(uuid.uuid4())}
    fire(coach, lambda c: c.post(f"/partnerships/{partnership.pk}/next-steps/new/", data))
    assert partnership.next_steps.filter(text="Try think-pair-share").count() == 1


def test_parallel_accepts_start_the_partnership_once(coach, teacher, school):
    invited = factories.PartnershipFactory(
        school=school, coach=coach, teachers=[teacher], status="invited"
    )
    fire(teacher, lambda c: c.post(f"/partnerships/{invited.pk}/accept/"))
    invited.refresh_from_db()
    assert invited.status == "active"
    assert invited.members.get().status == "accepted"


def test_parallel_copies_of_one_coach_note_save_one_note(coach, partnership):
    data = {"text": "Ask about the exit tickets", "submission": str(uuid.uuid4())}
    fire(coach, lambda c: c.post(f"/partnerships/{partnership.pk}/notes/", data))
    assert partnership.coach_notes.count() == 1


def fire_each(person, posts):
    """Like `fire`, with a different request on each client: `posts` is a list of callables."""
    queue = iter(posts)
    lock = threading.Lock()

    def next_post(client):
        with lock:
            post = next(queue)
        return post(client)

    return fire(person, next_post, times=len(posts))


def test_parallel_cancels_cancel_once_and_the_rest_find_it_gone(coach, teacher, partnership):
    meeting = factories.MeetingFactory(partnership=partnership)
    codes = fire(coach, lambda c: c.post(f"/meetings/{meeting.pk}/cancel/"))
    assert sorted(set(codes)) == [302, 404] or set(codes) == {302}
    assert not partnership.meetings.exists()
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_parallel_draft_deletes_delete_once(coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle)
    fire(coach, lambda c: c.post(f"/observations/{draft.pk}/delete/"))
    deleted = AccessEvent.objects.filter(record_id=draft.pk, action="deleted")
    assert [event.repeats for event in deleted] == [1]


def test_notes_sent_while_the_draft_is_deleted_go_with_it_or_find_it_gone(coach, cycle):
    from observations.models import Observation, ObservationNote

    draft = factories.ObservationFactory(cycle=cycle)

    def note(client):
        return client.post(
            f"/observations/{draft.pk}/notes/", {"client_id": uuid.uuid4(), "text": "Hands up"}
        )

    posts = [note] * 10 + [lambda c: c.post(f"/observations/{draft.pk}/delete/")] + [note] * 10
    fire_each(coach, posts)
    assert not Observation.objects.filter(pk=draft.pk).exists()
    assert not ObservationNote.objects.filter(observation_id=draft.pk).exists()


def test_parallel_tallies_of_one_name_make_one_tally(coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle)
    fire(
        coach,
        lambda c: c.post(
            f"/observations/{draft.pk}/tallies/",
            {"client_id": uuid.uuid4(), "label": "Open questions", "count": 1},
        ),
    )
    assert draft.tallies.filter(label__iexact="open questions").count() == 1


def test_parallel_seat_layouts_of_one_name_make_one_layout(coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle)
    fire(
        coach,
        lambda c: c.post(
            f"/observations/{draft.pk}/seats/",
            {"name": "Period 3 maths", "rows": 4, "columns": 5},
        ),
        times=40,
    )
    assert cycle.partnership.seat_layouts.filter(name="Period 3 maths").count() == 1


def test_parallel_imports_of_one_template_add_it_once(district_admin):
    import json

    from observations.models import LookForTemplate

    content = json.dumps(
        {
            "format": "tandem-look-fors",
            "name": "Student talk",
            "sections": [{"name": "", "look_fors": [{"description": "Students explain why"}]}],
        }
    ).encode()

    def post(client):
        upload = SimpleUploadedFile("template.json", content, "application/json")
        return client.post("/look-fors/import/", {"file": upload})

    fire(district_admin, post, times=16)
    assert LookForTemplate.objects.filter(name="Student talk").count() == 1


def test_an_activity_edited_while_deleted_is_gone_not_a_500(coach, school):
    entry = factories.ActivityEntryFactory(coach=coach, school=school)
    edit = {"date": entry.date.isoformat(), "minutes": "50", "kind": "conversation", "note": ""}
    posts = [lambda c: c.post(f"/activity/{entry.pk}/delete/")] * 4
    posts += [lambda c: c.post(f"/activity/{entry.pk}/edit/", edit)] * 4
    fire_each(coach, posts)
    assert not ActivityEntry.objects.filter(pk=entry.pk).exists()


def test_a_reflection_edited_while_deleted_is_gone_not_a_500(teacher, cycle):
    from cycles.models import Reflection

    mine = factories.ReflectionFactory(cycle=cycle, author=teacher, visibility="private")
    edit = {"prompt": "", "text": "Changed my mind", "visibility": "private"}
    posts = [lambda c: c.post(f"/reflections/{mine.pk}/delete/")] * 4
    posts += [lambda c: c.post(f"/reflections/{mine.pk}/edit/", edit)] * 4
    fire_each(teacher, posts)
    assert not Reflection.objects.filter(pk=mine.pk).exists()
