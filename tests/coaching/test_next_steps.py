import datetime

import pytest
from django.utils import timezone

from coaching.models import NextStep, Partnership
from tests.factories import MeetingFactory, NextStepFactory

pytestmark = pytest.mark.django_db


def test_a_teacher_adds_a_step_of_their_own(client_for, teacher, partnership):
    client_for(teacher).post(
        f"/partnerships/{partnership.pk}/next-steps/new/",
        {"text": "Try it in period 3", "owner": "coach", "due_on": ""},
    )
    step = NextStep.objects.get()
    assert step.owner == "teacher"  # the owner field is not offered to teachers
    assert step.created_by == teacher


def test_the_coach_adds_a_step_from_a_meeting(client_for, coach, partnership):
    meeting = MeetingFactory(partnership=partnership)
    client = client_for(coach)
    form = client.get(f"/partnerships/{partnership.pk}/next-steps/new/?meeting={meeting.pk}")
    assert form.context["form"].initial["meeting"] == str(meeting.pk)
    response = client.post(
        f"/partnerships/{partnership.pk}/next-steps/new/",
        {"text": "Film a clip", "owner": "coach", "due_on": "", "meeting": meeting.pk},
    )
    assert response.url == f"/meetings/{meeting.pk}/"
    assert NextStep.objects.get().meeting == meeting


def test_a_teacher_ticks_their_own_step_with_htmx(client_for, teacher, partnership):
    step = NextStepFactory(partnership=partnership)
    response = client_for(teacher).post(
        f"/next-steps/{step.pk}/toggle/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "&#10003; Done" in response.text or "✓ Done" in response.text
    assert "<html" not in response.text  # just the row, swapped in place
    step.refresh_from_db()
    assert step.is_done


def test_ticking_again_reopens_the_step(client_for, teacher, partnership):
    step = NextStepFactory(partnership=partnership, done_at=timezone.now())
    client_for(teacher).post(f"/next-steps/{step.pk}/toggle/")
    step.refresh_from_db()
    assert not step.is_done


def test_a_teacher_cannot_tick_the_coachs_step(client_for, teacher, partnership):
    step = NextStepFactory(partnership=partnership, owner="coach")
    assert client_for(teacher).post(f"/next-steps/{step.pk}/toggle/").status_code == 403
    step.refresh_from_db()
    assert not step.is_done


def test_steps_of_a_closed_partnership_do_not_change(client_for, coach, partnership):
    step = NextStepFactory(partnership=partnership)
    Partnership.objects.filter(pk=partnership.pk).update(status="closed")
    response = client_for(coach).post(f"/next-steps/{step.pk}/toggle/", follow=True)
    assert "closed" in response.text
    step.refresh_from_db()
    assert not step.is_done


def test_overdue_steps_are_flagged_on_both_homes(client_for, coach, teacher, partnership, today):
    NextStepFactory(
        partnership=partnership,
        text="Sort the exit tickets",
        due_on=today - datetime.timedelta(days=1),
    )
    coach_home = client_for(coach).get("/coach/").text
    assert "Sort the exit tickets" in coach_home
    assert "Overdue" in coach_home
    teacher_home = client_for(teacher).get("/teacher/").text
    assert "Sort the exit tickets" in teacher_home
    assert "Overdue" in teacher_home
