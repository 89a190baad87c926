"""Operators run the admin site; the words of coaching partnerships never appear in it."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "note": "CANARY-COACH-NOTE",
    "reflection": "CANARY-REFLECTION",
    "goal": "CANARY-GOAL",
    "agenda": "CANARY-AGENDA",
}


@pytest.fixture
def operator():
    return UserFactory(is_staff=True, is_superuser=True)


def test_no_coaching_text_appears_on_any_admin_page(client_for, operator, world):
    world.note.text = SECRETS["note"]
    world.note.save()
    world.teacher_private.text = SECRETS["reflection"]
    world.teacher_private.save()
    world.goal.statement = SECRETS["goal"]
    world.goal.save()
    world.meeting.agenda = SECRETS["agenda"]
    world.meeting.save()
    client = client_for(operator)
    pages = [
        "/operators/coaching/coachnote/",
        f"/operators/coaching/coachnote/{world.note.pk}/change/",
        "/operators/cycles/reflection/",
        f"/operators/cycles/reflection/{world.teacher_private.pk}/change/",
        "/operators/cycles/goal/",
        f"/operators/cycles/goal/{world.goal.pk}/change/",
        "/operators/coaching/meeting/",
        f"/operators/coaching/meeting/{world.meeting.pk}/change/",
        "/operators/coaching/partnership/",
        f"/operators/coaching/partnership/{world.partnership.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in SECRETS.values():
            assert secret not in response.text, url


def test_operators_manage_the_strategy_library(client_for, operator, district):
    response = client_for(operator).post(
        "/operators/cycles/strategy/add/",
        {"district": district.pk, "title": "Wait time", "description": "Pause.", "checklist": ""},
    )
    assert response.status_code == 302


def test_operators_filter_people_by_role(client_for, operator, coach, teacher):
    """The filter the list offers works (it went through a related field, and was refused);
    a field beside it, not offered, is still refused."""
    client = client_for(operator)
    page = client.get("/operators/accounts/user/?memberships__role__exact=coach")
    assert page.status_code == 200
    assert coach.email in page.content.decode()
    assert teacher.email not in page.content.decode()
    refused = client.get("/operators/accounts/user/?memberships__school__name__startswith=R")
    assert refused.status_code == 400
