"""The teacher's "My feedback": every observation of their lessons shared with them."""

import pytest
from django.utils import timezone

from observations import services
from observations.models import AccessEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lists_each_shared_observation_with_its_state(client_for, teacher, cycle):
    waiting = factories.ObservationFactory(cycle=cycle, status="shared", subject="Maths")
    answered = factories.ObservationFactory(cycle=cycle, status="shared", subject="Reading")
    services.observation_respond(actor=teacher, observation=answered, text="Thanks")
    draft = factories.ObservationFactory(cycle=cycle, subject="Science")

    page = client_for(teacher).get("/my-records/feedback/").text

    assert f"/observations/{waiting.pk}/" in page
    assert f"/observations/{answered.pk}/" in page
    assert f"/observations/{draft.pk}/" not in page
    assert "New for you" in page
    assert "Read " in page
    assert "observed by Maya Okafor" in page


def test_a_change_after_the_answer_is_shown(client_for, teacher, cycle, clock):
    observation = factories.ObservationFactory(cycle=cycle, status="shared")
    services.observation_respond(actor=teacher, observation=observation, text="")
    clock.shift(3600)
    observation.amended_at = timezone.now()
    observation.save(update_fields=["amended_at"])
    assert "Changed since you read it" in client_for(teacher).get("/my-records/feedback/").text


def test_a_colleague_sees_none_of_it(client_for, colleague, cycle):
    factories.ObservationFactory(cycle=cycle, status="shared", subject="Maths")
    page = client_for(colleague).get("/my-records/feedback/").text
    assert "No feedback shared with you yet" in page


def test_the_teacher_navigation_offers_it(client_for, teacher):
    page = client_for(teacher).get("/teacher/").text
    assert 'href="/my-records/feedback/"' in page


def test_access_log_rows_link_to_the_record_the_teacher_can_open(client_for, coach, teacher, cycle):
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    draft = factories.ObservationFactory(cycle=cycle)
    for observation in (shared, draft):
        AccessEvent.objects.create(
            subject=teacher,
            actor=coach,
            action="read",
            kind="observation",
            record_id=observation.pk,
            record_date=observation.observed_at,
        )
    page = client_for(teacher).get("/my-records/access/").text
    assert f'<a href="/observations/{shared.pk}/">Observation of' in page
    # A draft is the coach's alone: the row names it but does not link to it.
    assert f"/observations/{draft.pk}/" not in page
