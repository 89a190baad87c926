"""The invite list marks the teachers already in a partnership with this coach, or already
invited by them, so the coach does not invite someone twice by mistake. Another coach's
partnerships are never hinted at: they are outside this coach's sight."""

import html
import re

import pytest

from coaching.models import Partnership
from tests import factories

pytestmark = pytest.mark.django_db


def choices(client):
    page = client.get("/partnerships/new/").text
    labels = re.findall(r'<label[^>]*for="id_teachers_\d+"[^>]*>\s*(.*?)\s*</label>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", label)).strip() for label in labels]


def test_a_teacher_already_partnered_or_invited_is_marked(
    client_for, coach, teacher, colleague, partnership, school
):
    newcomer = factories.teacher_at(school, user__full_name="Ines Park")
    factories.PartnershipFactory(
        school=school, coach=coach, status=Partnership.Status.INVITED, teachers=[colleague]
    )
    assert sorted(choices(client_for(coach))) == [
        "Amara Bello · invited by you, not yet answered",
        "Daniel Reyes · already in a partnership with you",
        "Ines Park",
    ]
    assert newcomer  # offered unmarked


def test_a_closed_partnership_or_a_teacher_who_left_is_not_marked(
    client_for, coach, teacher, partnership
):
    partnership.members.update(status="left")
    assert "Daniel Reyes" in choices(client_for(coach))
    partnership.members.update(status="accepted")
    Partnership.objects.filter(pk=partnership.pk).update(status=Partnership.Status.CLOSED)
    assert "Daniel Reyes" in choices(client_for(coach))


def test_another_coachs_partnership_is_not_hinted_at(client_for, school, teacher):
    # Two coaches at one school: the second sees the teacher as any other.
    second = factories.coach_at(school, user__full_name="Noor Haddad")
    factories.PartnershipFactory(school=school, teachers=[teacher])
    assert "Daniel Reyes" in choices(client_for(second))


def test_a_marked_teacher_may_still_join_a_team(client_for, coach, teacher, colleague, partnership):
    client_for(coach).post(
        "/partnerships/new/",
        {"teachers": [teacher.pk, colleague.pk], "title": "Grade 3 team", "agreement": "Norms."},
    )
    assert Partnership.objects.filter(title="Grade 3 team").exists()
