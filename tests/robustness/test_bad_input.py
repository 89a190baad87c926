"""Bad input gets a clear message and changes nothing: each case here once answered 500 or
lost what was saved before."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, RoleInvitation, User
from coaching.models import ActivityEntry, Meeting
from observations.models import ObservationResponse, Tally
from tests import factories

pytestmark = pytest.mark.django_db


def roster(text):
    return SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")


def import_roster(client, school, text):
    return client.post("/people/import/", {"school": school.pk, "roster": roster(text)})


# Search and names -----------------------------------------------------------------


def test_a_search_with_a_nul_character_is_refused_with_a_message(client_for, school_admin):
    response = client_for(school_admin).get("/people/", {"q": "Ada\x00"})
    assert response.status_code == 200
    assert "Remove the invisible or control characters (such as U+0000)." in response.text


def test_the_search_keeps_its_words_in_the_page_links_safely(client_for, school_admin, school):
    for n in range(35):
        factories.teacher_at(school, user__full_name=f"Ada&page=9 Teacher {n}")
    page = client_for(school_admin).get("/people/", {"q": "Ada&page=9"}).text
    assert "q=Ada%26page%3D9" in page


@pytest.mark.parametrize("name", ["Ann\nLee", "Ann\x00Lee", "Ann\x07Lee", "Ann\rLee"])
def test_a_name_with_control_characters_is_refused_on_invitation(
    client_for, school_admin, school, name
):
    response = client_for(school_admin).post(
        "/people/invite/",
        {"full_name": name, "email": "ann@example.org", "role": "teacher", "school": school.pk},
    )
    assert response.status_code == 200
    assert "Remove the invisible or control characters" in response.text
    assert not User.objects.filter(email="ann@example.org").exists()


# Numbers and dates ---------------------------------------------------------------


@pytest.mark.parametrize("count", ["2147483648", "-1", "1e9", "99999999999999999999"])
def test_a_tally_beyond_any_lesson_is_refused_and_keeps_its_count(client_for, coach, world, count):
    tally = Tally.objects.create(observation=world.draft, label="Open questions", count=3)
    response = client_for(coach).post(
        f"/observations/{world.draft.pk}/tallies/",
        {"client_id": tally.client_id, "label": "Open questions", "count": count},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]
    tally.refresh_from_db()
    assert tally.count == 3


def test_a_meeting_at_the_end_of_time_is_refused_and_pages_keep_working(
    client_for, coach, teacher, world
):
    response = client_for(coach).post(
        f"/partnerships/{world.partnership.pk}/meetings/new/",
        {"kind": "planning", "starts_at": "9999-12-31T23:59", "duration_minutes": "30"},
    )
    assert response.status_code == 200
    assert "within a year of today" in response.text
    assert Meeting.objects.count() == 1  # the world's own
    for person in (coach, teacher):
        client = client_for(person)
        assert client.get(f"/partnerships/{world.partnership.pk}/").status_code == 200
        assert client.get(f"/cycles/{world.cycle.pk}/").status_code == 200


def test_a_meeting_moved_to_the_end_of_time_keeps_its_date(client_for, coach, world):
    before = world.meeting.starts_at
    response = client_for(coach).post(
        f"/meetings/{world.meeting.pk}/edit/",
        {"kind": "planning", "starts_at": "0001-01-01T00:00", "duration_minutes": "30"},
    )
    assert response.status_code == 200
    world.meeting.refresh_from_db()
    assert world.meeting.starts_at == before


# A teacher's answer --------------------------------------------------------------


def test_an_answer_too_long_is_refused_and_the_saved_one_is_kept(client_for, teacher, world):
    client = client_for(teacher)
    client.post(f"/observations/{world.shared.pk}/respond/", {"text": "Thank you."}, follow=True)
    response = client.post(f"/observations/{world.shared.pk}/respond/", {"text": "x" * 5001})
    assert "Thank you. Your coach will see your answer." not in response.text
    assert "at most 5000 characters" in response.text
    assert "x" * 5001 in response.text  # what was typed is still there to shorten
    assert ObservationResponse.objects.get().text == "Thank you."


# Rosters -------------------------------------------------------------------------


def test_a_roster_with_old_mac_line_endings_imports(client_for, school_admin, school):
    text = "Ada Lovelace,ada@example.org,teacher\rAlan Turing,alan@example.org,coach\r"
    response = import_roster(client_for(school_admin), school, text)
    assert response.status_code == 302
    assert User.objects.filter(email__in=["ada@example.org", "alan@example.org"]).count() == 2


def test_a_roster_with_a_huge_field_names_its_line_and_imports_nothing(
    client_for, school_admin, school
):
    text = "Ada Lovelace,ada@example.org,teacher\n" + "B" * 140_000 + ",b@example.org,coach\n"
    response = import_roster(client_for(school_admin), school, text)
    assert response.status_code == 200
    assert "Line 2:" in response.text
    assert not User.objects.filter(email="ada@example.org").exists()


def test_a_roster_with_a_nul_in_a_name_names_its_line(client_for, school_admin, school):
    text = "Ada Lovelace,ada@example.org,teacher\nAlan\x00Turing,alan@example.org,coach\n"
    response = import_roster(client_for(school_admin), school, text)
    assert response.status_code == 200
    assert (
        "Line 2 (alan@example.org): in the name, remove the invisible or control characters "
        "(such as U+0000)." in response.text
    )
    assert not User.objects.filter(email="ada@example.org").exists()


def roster_of(n, prefix):
    return "".join(f"Person {prefix}{i},{prefix}{i}@example.org,teacher\n" for i in range(n))


def test_a_roster_costs_the_same_queries_for_ten_rows_as_for_eighty(
    client_for, school_admin, school, django_capture_on_commit_callbacks
):
    client = client_for(school_admin)

    def cost(text):
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=False),
        ):
            assert import_roster(client, school, text).status_code == 302
        return len(captured)

    # Rows are written in batches (of about 90 on SQLite, 1,000 on PostgreSQL), so a
    # roster of 40,000 costs tens of queries, not 40,000 times several.
    assert cost(roster_of(10, "a")) == cost(roster_of(80, "b"))
    assert RoleInvitation.objects.filter(school=school, role="teacher").count() == 90


def test_a_roster_with_existing_people_adds_their_new_roles_only(
    client_for, school_admin, school, other_school
):
    known = factories.teacher_at(other_school, user__email="known@example.org")
    factories.teacher_at(school, user__email="here@example.org")
    text = "Known Person,known@example.org,coach\nHere Already,here@example.org,teacher\n"
    assert import_roster(client_for(school_admin), school, text).status_code == 302
    assert Membership.objects.filter(user=known, school=school, role="coach").exists()
    assert User.objects.get(email="known@example.org").full_name == known.full_name


def test_unknown_uuid_answers_404_not_500(client_for, coach):
    assert client_for(coach).get(f"/observations/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize(
    ("day", "message"),
    [("2026-11-23", "Log time for today or an earlier day."), ("2025-01-01", "past year")],
)
def test_time_cannot_be_logged_ahead_of_today_or_years_back(client_for, coach, day, message):
    # The frozen instant is Sunday 22 November in the school's Chicago.
    response = client_for(coach).post(
        "/activity/new/", {"date": day, "minutes": "30", "kind": "modelling"}
    )
    assert message in response.text
    assert not ActivityEntry.objects.exists()


def test_a_step_due_in_another_decade_is_refused(client_for, coach, partnership):
    response = client_for(coach).post(
        f"/partnerships/{partnership.pk}/next-steps/new/",
        {"text": "Someday", "owner": "teacher", "due_on": "2099-01-01"},
    )
    assert "within a year of today" in response.text
    assert not partnership.next_steps.exists()


def test_a_goal_years_away_is_refused(client_for, coach, cycle):
    response = client_for(coach).post(
        f"/cycles/{cycle.pk}/goal/",
        {
            "statement": "All students read.",
            "measure": "Reading",
            "unit": "%",
            "baseline": "10",
            "target": "90",
            "target_date": "9999-12-31",
        },
    )
    assert "within a year" in response.text
    cycle.goal.refresh_from_db()
    assert cycle.goal.target == 80


@pytest.mark.parametrize("name", ["=1+1", "+SUM(A1)", "-2+3", "@cmd"])
def test_a_roster_name_that_a_spreadsheet_would_run_is_refused(
    client_for, school_admin, school, name
):
    response = import_roster(client_for(school_admin), school, f"{name},x@example.org,teacher\n")
    assert "Line 1 (x@example.org): the name cannot start with =, +, - or @." in response.text
    assert not User.objects.filter(email="x@example.org").exists()
