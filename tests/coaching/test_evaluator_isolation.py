"""An administrator at a teacher's school can never coach that teacher nor read their
coaching records, whatever other role they also hold: checked in the permission layer."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Membership
from coaching import services
from coaching.models import Partnership
from coaching.selectors import partnerships_visible_to
from tests.factories import MembershipFactory, PartnershipFactory, coach_at, school_admin_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal_who_coaches(school):
    person = school_admin_at(school, user__full_name="Pat Principal")
    coach_at(school, user=person)
    return person


def test_a_school_administrator_cannot_invite_as_coach_at_that_school(
    principal_who_coaches, school, teacher
):
    with pytest.raises(ValidationError, match="administrator at"):
        services.partnership_invite(actor=principal_who_coaches, school=school, teachers=[teacher])
    assert not Partnership.objects.exists()


def test_a_district_administrator_cannot_coach_in_their_district(district, school, teacher):
    person = coach_at(school)
    MembershipFactory(user=person, role="district_admin", school=None, district=district)
    with pytest.raises(ValidationError, match="administrator at"):
        services.partnership_invite(actor=person, school=school, teachers=[teacher])


def test_an_administrator_cannot_be_invited_as_a_teacher_there(coach, school):
    assistant_principal = school_admin_at(school)
    MembershipFactory(user=assistant_principal, role="teacher", school=school)
    with pytest.raises(ValidationError, match="administrator at"):
        services.partnership_invite(actor=coach, school=school, teachers=[assistant_principal])


def test_the_invite_form_does_not_offer_administrators(client_for, coach, school):
    assistant_principal = school_admin_at(school, user__full_name="Ada Assistant")
    MembershipFactory(user=assistant_principal, role="teacher", school=school)
    assert "Ada Assistant" not in client_for(coach).get("/partnerships/new/").text


def test_a_coach_who_becomes_administrator_loses_every_coaching_record_there(
    client_for, world, coach, school
):
    MembershipFactory(user=coach, role=Membership.Role.SCHOOL_ADMIN, school=school)
    assert not partnerships_visible_to(coach).exists()
    client = client_for(coach)
    assert client.get(f"/partnerships/{world.partnership.pk}/").status_code == 404
    assert client.get(f"/cycles/{world.cycle.pk}/").status_code == 404
    assert client.get(f"/meetings/{world.meeting.pk}/").status_code == 404


def test_a_coach_keeps_records_at_a_school_they_do_not_administer(world, coach, other_school):
    MembershipFactory(user=coach, role=Membership.Role.SCHOOL_ADMIN, school=other_school)
    assert list(partnerships_visible_to(coach)) == [world.partnership]


def test_a_coach_who_leaves_the_school_loses_access(client_for, world, coach, school):
    Membership.objects.filter(user=coach, school=school, role="coach").delete()
    assert client_for(coach).get(f"/partnerships/{world.partnership.pk}/").status_code == 404


def test_no_administrator_role_opens_a_coaching_record(
    client_for, world, school_admin, district_admin
):
    for admin in (school_admin, district_admin):
        client = client_for(admin)
        for url in (
            f"/partnerships/{world.partnership.pk}/",
            f"/cycles/{world.cycle.pk}/",
            f"/meetings/{world.meeting.pk}/",
            f"/partnerships/{world.partnership.pk}/notes/",
        ):
            assert client.get(url).status_code == 404, url


def test_another_partnership_at_the_same_school_stays_with_its_coach(client_for, world, school):
    someone_else = PartnershipFactory(school=school)
    assert (
        client_for(world.partnership.coach).get(f"/partnerships/{someone_else.pk}/").status_code
        == 404
    )
