import pytest

from tests.factories import MembershipFactory, coach_at, teacher_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_who_teaches(school, other_school):
    person = coach_at(school)
    teacher_at(other_school, user=person)
    return person


def membership_id(person, role):
    return person.memberships.get(role=role).pk


def test_the_switcher_lists_every_role_the_person_holds(client_for, coach_who_teaches):
    response = client_for(coach_who_teaches).get("/coach/")
    assert b"Switch role" in response.content
    assert b"Teacher \xc2\xb7 Hillcrest Middle School" in response.content


def test_a_person_with_one_role_sees_no_switcher(client_for, coach):
    assert b"Switch role" not in client_for(coach).get("/coach/").content


def test_switching_role_changes_the_home_the_person_lands_on(client_for, coach_who_teaches):
    client = client_for(coach_who_teaches)
    assert client.get("/")["Location"] == "/coach/"
    response = client.post(
        "/accounts/switch-role/", {"membership": membership_id(coach_who_teaches, "teacher")}
    )
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/teacher/"
    assert b"Teaching at Hillcrest Middle School" in client.get("/teacher/").content


def test_opening_another_roles_home_makes_it_the_active_role(client_for, coach_who_teaches):
    client = client_for(coach_who_teaches)
    client.get("/teacher/")
    assert client.get("/")["Location"] == "/teacher/"


def test_nobody_can_switch_into_someone_elses_role(client_for, coach, school):
    someone_else = MembershipFactory(role="school_admin", school=school)
    client = client_for(coach)
    assert client.post("/accounts/switch-role/", {"membership": someone_else.pk}).status_code == 404
    assert client.post("/accounts/switch-role/", {"membership": "not-a-number"}).status_code == 404
    assert client.get("/")["Location"] == "/coach/"


def test_switching_is_a_post_only_action(client_for, coach_who_teaches):
    client = client_for(coach_who_teaches)
    assert client.get("/accounts/switch-role/").status_code == 405


def test_pages_run_in_the_active_schools_time_zone_and_reset_after(rf, coach):
    from django.utils import timezone

    from accounts.middleware import ActiveRoleMiddleware

    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/coach/")
    request.user = coach
    request.session = {}
    middleware = ActiveRoleMiddleware(lambda r: middleware.process_view(r, view, (), {}) or view(r))
    middleware(request)
    assert seen == ["America/Chicago"]
    assert timezone.get_current_timezone_name() == "UTC"
