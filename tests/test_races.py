"""Nothing happens twice: the same act fired from many requests at once has one effect, and
every other request gets the message a late second click would get, never a 500.

Real concurrency needs PostgreSQL's row locks (SQLite runs one writer at a time), so these
run under .ci/run. The same double submits, one after another, are in
tests/test_double_submits.py and run everywhere.
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

from accounts.models import Membership, User
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
    assert Membership.objects.filter(user__email="ada@example.org").count() == 1


def test_parallel_roster_imports_of_the_same_people_add_them_once(school_admin, school):
    text = "".join(f"Person {i},person{i}@example.org,teacher\n" for i in range(50))

    def post(client):
        upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
        return client.post("/people/import/", {"school": school.pk, "roster": upload})

    fire(school_admin, post, times=4)
    assert User.objects.filter(email__startswith="person").count() == 50
    assert Membership.objects.filter(school=school, role="teacher").count() == 50


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
