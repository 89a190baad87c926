"""A coach takes a teacher from invitation to a closed cycle with a met goal, in the browser's
own terms: real URLs, real forms, as both people, each seeing every step from their side."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from coaching.models import ActivityEntry, Partnership
from cycles.models import Cycle, FocusArea

pytestmark = pytest.mark.django_db


def test_a_coaching_cycle_from_invitation_to_a_met_goal(
    coach, teacher, district, django_capture_on_commit_callbacks
):
    school = teacher.memberships.get().school
    today = school.today()
    as_coach, as_teacher = _signed_in(coach), _signed_in(teacher)

    # The coach invites the teacher; the teacher is e-mailed.
    page = as_coach.get("/partnerships/new/")
    assert "Daniel Reyes" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coach.post(
            "/partnerships/new/",
            {"teachers": [teacher.pk], "title": "", "agreement": "What we see stays between us."},
        )
    partnership = Partnership.objects.get(coach=coach)
    assert response.url == f"/partnerships/{partnership.pk}/"
    assert mail.outbox[0].to == [teacher.email]
    assert f"/partnerships/{partnership.pk}/" in mail.outbox[0].body

    # The teacher sees the invitation at home, reads the agreement and accepts.
    assert "Maya Okafor invites you" in as_teacher.get("/teacher/").text
    invitation = as_teacher.get(f"/partnerships/{partnership.pk}/")
    assert "What we see stays between us." in invitation.text
    as_teacher.post(f"/partnerships/{partnership.pk}/accept/")
    partnership.refresh_from_db()
    assert partnership.status == "active"
    assert "Maya Okafor" in as_teacher.get(f"/partnerships/{partnership.pk}/").text

    # The coach starts a cycle and sets a PEERS goal.
    area = FocusArea.objects.get(district=district, name="Formative assessment")
    response = as_coach.post(
        f"/partnerships/{partnership.pk}/cycles/new/",
        {"title": "Exit tickets that shape tomorrow", "focus_area": area.pk},
    )
    cycle = Cycle.objects.get(partnership=partnership)
    assert response.url == f"/cycles/{cycle.pk}/goal/"
    as_coach.post(
        f"/cycles/{cycle.pk}/goal/",
        {
            "statement": "80% of students will meet the target on the exit ticket.",
            "powerful": "on",
            "student_focused": "on",
            "measure": "Exit tickets at target",
            "unit": "%",
            "baseline": "40",
            "target": "80",
            "target_date": (today + datetime.timedelta(days=40)).isoformat(),
            "learning_targets": "I can show my thinking.",
        },
    )
    assert "80% of students will meet the target" in as_teacher.get("/teacher/").text

    # A planning meeting: prompts offered, notes taken, held (which logs the minutes),
    # and a next step for the teacher.
    response = as_coach.post(
        f"/partnerships/{partnership.pk}/meetings/new/",
        {
            "kind": "planning",
            "starts_at": timezone.localtime(timezone=school.zone).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "35",
            "agenda": "Choose the first exit ticket.",
        },
    )
    meeting_url = response.url
    assert "Success indicators" in as_coach.get(meeting_url).text
    as_coach.post(f"{meeting_url}held/")
    assert ActivityEntry.objects.get(coach=coach, meeting__isnull=False).minutes == 35
    as_coach.post(
        f"/partnerships/{partnership.pk}/next-steps/new/",
        {"text": "Sort Tuesday's exit tickets", "owner": "teacher", "due_on": today.isoformat()},
    )

    # Identify -> learn -> improve.
    as_coach.post(f"/cycles/{cycle.pk}/advance/")
    as_coach.post(f"/cycles/{cycle.pk}/advance/")
    cycle.refresh_from_db()
    assert cycle.phase == "improve"
    assert [c.phase for c in cycle.phase_changes.all()] == ["identify", "learn", "improve"]

    # The teacher records progress, completes their next step and reflects.
    as_teacher.post(
        f"/cycles/{cycle.pk}/progress/",
        {"recorded_on": today.isoformat(), "value": "82", "source": "assessment", "note": ""},
    )
    step = partnership.next_steps.get()
    as_teacher.post(f"/next-steps/{step.pk}/toggle/")
    step.refresh_from_db()
    assert step.is_done
    as_teacher.post(
        f"/cycles/{cycle.pk}/reflections/new/",
        {
            "prompt": "What changed?",
            "text": "They ask for exit tickets now.",
            "visibility": "shared",
        },
    )
    as_teacher.post(
        f"/cycles/{cycle.pk}/reflections/new/",
        {"prompt": "", "text": "I was nervous about this.", "visibility": "private"},
    )
    coach_view = as_coach.get(f"/cycles/{cycle.pk}/").text
    assert "They ask for exit tickets now." in coach_view
    assert "I was nervous about this." not in coach_view
    assert "latest 82 %" in coach_view

    # Evidence before and after, then the coach closes the cycle: goal met.
    for kind, proficient in (("pre", 10), ("post", 21)):
        as_coach.post(
            f"/cycles/{cycle.pk}/evidence/",
            {
                "kind": kind,
                "taken_on": today.isoformat(),
                "students_assessed": "25",
                "students_proficient": str(proficient),
            },
        )
    as_coach.post(f"/cycles/{cycle.pk}/close/", {"outcome": "met", "summary": "Routine stuck."})
    cycle.refresh_from_db()
    assert (cycle.phase, cycle.outcome) == ("closed", "met")
    teacher_view = as_teacher.get(f"/cycles/{cycle.pk}/").text
    assert "Goal met" in teacher_view
    assert "21 of 25 students proficient" in teacher_view

    # The partnership ends; the teacher keeps reading it.
    as_coach.post(f"/partnerships/{partnership.pk}/close/")
    partnership.refresh_from_db()
    assert partnership.status == "closed"
    assert as_teacher.get(f"/cycles/{cycle.pk}/").status_code == 200


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
