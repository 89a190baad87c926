import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("coach", "/coach/"),
        ("teacher", "/teacher/"),
        ("school_admin", "/school/"),
        ("district_admin", "/district/"),
    ],
)
def test_each_role_is_sent_to_its_own_home(request, client_for, persona, home):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/")["Location"] == home
    assert client.get(home).status_code == 200


@pytest.mark.parametrize(
    ("persona", "forbidden_homes"),
    [
        ("coach", ["/teacher/", "/school/", "/district/"]),
        ("teacher", ["/coach/", "/school/", "/district/"]),
        ("school_admin", ["/coach/", "/teacher/", "/district/"]),
        ("district_admin", ["/coach/", "/teacher/", "/school/"]),
    ],
)
def test_a_home_of_a_role_not_held_answers_404(request, client_for, persona, forbidden_homes):
    client = client_for(request.getfixturevalue(persona))
    for home in forbidden_homes:
        assert client.get(home).status_code == 404, home


def test_a_person_with_no_role_is_told_how_to_get_one(client_for):
    response = client_for(UserFactory()).get("/")
    assert response.status_code == 200
    assert b"You have no role at a school yet" in response.content


def test_the_coach_home_names_the_school_and_has_an_empty_state(client_for, coach):
    response = client_for(coach).get("/coach/")
    assert b"Coaching at Riverside Elementary" in response.content
    assert b"no coaching partnerships" in response.content


def test_the_no_role_home_is_titled_in_words_even_with_records_to_take_away(
    client_for, teacher, partnership
):
    # A teacher who left the school keeps their partnership place and loses their role.
    teacher.memberships.all().delete()
    page = client_for(teacher).get("/").text
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
    assert " ".join(title.split()) == "Welcome · Tandem"
    assert "download everything about you" in page  # in the page, not in its title
