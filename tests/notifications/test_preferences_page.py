import pytest

from notifications.models import Preference

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("person", ["coach", "teacher", "school_admin", "district_admin"])
def test_everyone_chooses_how_they_hear_of_each_kind(client_for, person, request):
    user = request.getfixturevalue(person)
    client = client_for(user)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert "Meetings tomorrow" in page.text
    assert "One e-mail a day" in page.text
    response = client.post(
        "/notifications/",
        {
            "meeting": "daily",
            "step_due": "off",
            "cycle_quiet": "immediate",
            "invitation": "off",
            "digest": "off",
        },
    )
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=user).values_list("kind", "delivery")) == {
        "meeting": "daily",
        "step_due": "off",
        "cycle_quiet": "immediate",
        "invitation": "off",
        "digest": "off",
    }
    assert "Your reminder choices are saved." in client.get("/notifications/").text


def test_a_choice_that_is_not_offered_changes_nothing(client_for, coach):
    page = client_for(coach).post("/notifications/", {"meeting": "hourly"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.text
    assert not Preference.objects.exists()


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response.url


def test_the_menu_links_to_it(client_for, teacher):
    assert 'href="/notifications/">Reminders' in client_for(teacher).get("/teacher/").text
