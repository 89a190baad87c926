"""The meeting page prepares the meeting: the cycle's goal and its progress chart, the last
feedback shared, the next steps still open, the look-fors chosen for the next lesson, the
conversation prompts for its kind, and a link to the cycle."""

import datetime
import re

import pytest
from django.utils import timezone

from observations.models import AccessEvent
from tests import factories

pytestmark = pytest.mark.django_db


def section(html, heading_id):
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


@pytest.fixture
def prepared(partnership, cycle, coach):
    meeting = factories.MeetingFactory(partnership=partnership, kind="planning")
    factories.ProgressPointFactory(goal=cycle.goal, value=40)
    factories.ObservationFactory(
        cycle=cycle,
        status="shared",
        shared_at=timezone.now() - datetime.timedelta(days=3),
        strengths="Older strengths.",
    )
    factories.ObservationFactory(cycle=cycle, status="shared", strengths="Pairs talked at once.")
    factories.ObservationFactory(cycle=cycle, strengths="A draft nobody else reads.")
    factories.NextStepFactory(partnership=partnership, text="Try sentence starters.")
    factories.NextStepFactory(partnership=partnership, text="Done already.", done_at=timezone.now())
    factories.ChosenLookForFactory(cycle=cycle, observation=None, description="Who talks first")
    return meeting


@pytest.mark.parametrize("persona", ["coach", "teacher"])
def test_the_meeting_page_holds_what_the_meeting_prepares_with(
    request, client_for, cycle, prepared, persona
):
    page = client_for(request.getfixturevalue(persona)).get(f"/meetings/{prepared.pk}/").text
    goal = section(page, "prep-goal-heading")
    assert cycle.goal.statement in goal
    assert f'href="/cycles/{cycle.pk}/"' in goal
    assert 'class="progress-chart' in goal
    feedback = section(page, "last-feedback-heading")
    assert "Pairs talked at once." in feedback
    assert "Older strengths." not in feedback
    assert "A draft nobody else reads." not in page
    steps = section(page, "open-steps-heading")
    assert "Try sentence starters." in steps
    assert "Done already." not in steps
    assert "Who talks first" in section(page, "look-fors-heading")
    assert "Planning conversation" in section(page, "prompts-heading")


def test_reading_the_feedback_there_is_in_the_teachers_access_log(
    client_for, coach, teacher, prepared
):
    client_for(coach).get(f"/meetings/{prepared.pk}/")
    assert AccessEvent.objects.filter(subject=teacher, actor=coach, action="read").exists()


@pytest.mark.parametrize(
    ("kind", "conversation", "prompt"),
    [
        ("planning", "Planning conversation", "Success indicators"),
        ("reflecting", "Reflecting conversation", "New learning"),
        ("other", "Problem-resolving conversation", "Desired state"),
    ],
)
def test_each_kind_of_conversation_offers_its_map(
    client_for, coach, partnership, kind, conversation, prompt
):
    meeting = factories.MeetingFactory(partnership=partnership, kind=kind)
    prompts = section(client_for(coach).get(f"/meetings/{meeting.pk}/").text, "prompts-heading")
    assert conversation in prompts
    assert prompt in prompts


def test_before_any_cycle_the_page_says_so(client_for, coach, partnership):
    meeting = factories.MeetingFactory(partnership=partnership)
    page = client_for(coach).get(f"/meetings/{meeting.pk}/").text
    assert "No cycle under way yet." in section(page, "prep-goal-heading")
    assert "No feedback shared yet." in section(page, "last-feedback-heading")
