"""Capture with look-fors and a seat map: a note tagged in one tap, a look-for's counter, a
look-for the coach adds in the lesson, the room laid out once per class, and seat taps that
land once however often they are sent. No student's name is ever asked for."""

import uuid

import pytest

from observations import services
from observations.models import AccessEvent, ObservationNote, SeatLayout, SeatMap, SeatTap
from observations.seats import summary
from tests import factories

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


@pytest.fixture
def draft(world):
    return world.draft


@pytest.fixture
def look_for(draft):
    return factories.ChosenLookForFactory(observation=draft, description="Students ask why")


@pytest.fixture
def seated(coach, draft):
    layout = services.seat_layout_save(
        actor=coach,
        partnership=draft.cycle.partnership,
        layout=None,
        name="Period 2",
        rows=3,
        columns=4,
        gaps=["0-2"],
    )
    services.observation_use_seats(actor=coach, observation=draft, layout=layout)
    return draft


def tap(client, observation, row, column, client_id=None, **extra):
    data = {"client_id": client_id or str(uuid.uuid4()), "row": row, "column": column, **extra}
    return client.post(f"/observations/{observation.pk}/seats/tap/", data, headers=JSON)


def test_a_note_tagged_with_a_look_for_is_kept_with_its_tag_once(
    client_for, coach, draft, look_for
):
    client = client_for(coach)
    note = {"client_id": str(uuid.uuid4()), "text": "Two pairs ask why.", "look_for": look_for.pk}
    client.post(f"/observations/{draft.pk}/notes/", note, headers=JSON)
    again = client.post(f"/observations/{draft.pk}/notes/", note, headers=JSON)
    assert again.json()["created"] is False
    assert ObservationNote.objects.get(observation=draft).look_for == look_for


def test_a_note_cannot_be_tagged_with_another_lessons_look_for(client_for, coach, world, draft):
    elsewhere = factories.ChosenLookForFactory(observation=world.shared)
    response = client_for(coach).post(
        f"/observations/{draft.pk}/notes/",
        {"client_id": str(uuid.uuid4()), "text": "x", "look_for": elsewhere.pk},
        headers=JSON,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "That look-for is not part of this observation."
    assert not ObservationNote.objects.filter(observation=draft).exists()


def test_a_look_fors_counter_keeps_the_look_fors_words(client_for, coach, draft, look_for):
    tally = draft.tallies.create(label=look_for.description, look_for=look_for)
    client_for(coach).post(
        f"/observations/{draft.pk}/tallies/",
        {"client_id": tally.client_id, "label": "Renamed", "count": 3},
        headers=JSON,
    )
    tally.refresh_from_db()
    assert (tally.label, tally.count) == ("Students ask why", 3)


def test_the_coach_adds_a_look_for_in_the_lesson_and_the_teacher_sees_who_added_it(
    client_for, coach, teacher, world
):
    observation = world.shared
    client = client_for(coach)
    client.post(
        f"/observations/{observation.pk}/look-fors/",
        {"description": "Students restate a partner idea", "counted": "on"},
    )
    added = observation.look_fors.get()
    assert added.by_coach
    assert added.tally.label == "Students restate a partner idea"
    page = client_for(teacher).get(f"/observations/{observation.pk}/").text
    assert "Students restate a partner idea" in page
    assert "Added by the coach" in page


def test_a_look_for_added_twice_is_refused_the_second_time(client_for, coach, draft, look_for):
    client = client_for(coach)
    response = client.post(
        f"/observations/{draft.pk}/look-fors/", {"description": "students ask WHY"}, follow=True
    )
    assert "is already a look-for of this lesson" in response.text
    assert draft.look_fors.count() == 1


def test_the_room_is_laid_out_once_and_used_again_for_the_next_lesson(
    client_for, coach, draft, cycle
):
    client = client_for(coach)
    page = client.get(f"/observations/{draft.pk}/seats/")
    assert "never write a student's name" in page.text
    response = client.post(
        f"/observations/{draft.pk}/seats/",
        {"name": "Period 3 maths", "rows": 4, "columns": 5, "gaps": ["0-2", "1-2"]},
    )
    assert response.url == f"/observations/{draft.pk}/capture/#seat-map"
    seat_map = SeatMap.objects.get(observation=draft)
    assert (seat_map.rows, seat_map.columns, seat_map.gaps, seat_map.seat_count) == (
        4,
        5,
        ["0-2", "1-2"],
        18,
    )
    # The next lesson offers the same room.
    later = services.observation_start(actor=coach, cycle=cycle)
    layout = SeatLayout.objects.get()
    page = client.get(f"/observations/{later.pk}/seats/?layout={layout.pk}")
    assert "Period 3 maths" in page.text
    client.post(
        f"/observations/{later.pk}/seats/",
        {
            "layout": layout.pk,
            "name": "Period 3 maths",
            "rows": 4,
            "columns": 5,
            "gaps": ["0-2", "1-2"],
        },
    )
    assert SeatLayout.objects.count() == 1
    assert SeatMap.objects.get(observation=later).layout == layout


def test_a_lesson_with_taps_keeps_its_seats_when_the_layout_changes(client_for, coach, seated):
    client = client_for(coach)
    tap(client, seated, 0, 0)
    layout = SeatLayout.objects.get()
    response = client.post(
        f"/observations/{seated.pk}/seats/",
        {"layout": layout.pk, "name": "Period 2", "rows": 2, "columns": 2},
    )
    assert "Seats were already tapped in this lesson" in response.text
    assert SeatMap.objects.get(observation=seated).rows == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "rows": 3, "columns": 3}, "This field is required."),
        ({"name": "P1", "rows": 13, "columns": 3}, "less than or equal to 12"),
        ({"name": "P1", "rows": 1, "columns": 1, "gaps": ["0-0"]}, "Leave at least one seat."),
    ],
)
def test_a_layout_with_a_mistake_says_why_and_saves_nothing(
    client_for, coach, draft, data, message
):
    response = client_for(coach).post(f"/observations/{draft.pk}/seats/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not SeatLayout.objects.exists()
    assert not SeatMap.objects.exists()


def test_a_tap_sent_twice_counts_once_and_names_its_client_id(client_for, coach, seated):
    client = client_for(coach)
    client_id = str(uuid.uuid4())
    first = tap(client, seated, 1, 3, client_id, kind="question")
    again = tap(client, seated, 1, 3, client_id, kind="question")
    assert first.json() == {"client_id": client_id, "created": True}
    assert again.json()["created"] is False
    assert list(SeatTap.objects.values_list("row", "column", "kind")) == [(1, 3, "question")]


@pytest.mark.parametrize(
    ("row", "column", "error"),
    [(0, 2, "There is no seat there."), (3, 0, "There is no seat there."), (12, 0, "Row")],
)
def test_a_tap_where_no_seat_is_refused(client_for, coach, seated, row, column, error):
    response = tap(client_for(coach), seated, row, column)
    assert response.status_code == 400
    assert error in response.json()["error"] or response.json()["error"].startswith("Ensure")
    assert not SeatTap.objects.exists()


def test_a_tap_before_the_room_is_laid_out_is_refused(client_for, coach, draft):
    response = tap(client_for(coach), draft, 0, 0)
    assert response.json() == {"error": "This lesson has no seat map yet."}


def test_an_undone_tap_is_gone_and_undoing_again_changes_nothing(client_for, coach, seated):
    client = client_for(coach)
    client_id = str(uuid.uuid4())
    tap(client, seated, 0, 0, client_id)
    url = f"/observations/{seated.pk}/seats/untap/"
    first = client.post(url, {"client_id": client_id}, headers=JSON)
    again = client.post(url, {"client_id": client_id}, headers=JSON)
    assert first.json() == {"client_id": client_id, "removed": True}
    assert again.json() == {"client_id": client_id, "removed": False}
    assert not SeatTap.objects.exists()


def test_taps_and_tags_are_changes_in_the_teachers_access_log(client_for, coach, teacher, seated):
    AccessEvent.objects.all().delete()
    tap(client_for(coach), seated, 0, 0)
    assert AccessEvent.objects.filter(subject=teacher, actor=coach, action="changed").exists()


def test_the_teacher_cannot_tap_tag_or_lay_out_their_own_lesson(client_for, teacher, world):
    shared = world.shared
    factories.seat_map_for(shared)
    client = client_for(teacher)
    assert tap(client, shared, 0, 0).status_code == 403
    assert client.post(f"/observations/{shared.pk}/seats/", {}).status_code == 403
    assert client.post(f"/observations/{shared.pk}/look-fors/", {}).status_code == 403
    assert not SeatTap.objects.exists()


def test_a_closed_partnerships_lesson_takes_no_taps(client_for, coach, seated, partnership):
    partnership.status = "closed"
    partnership.save()
    response = tap(client_for(coach), seated, 0, 0)
    assert "This partnership is closed" in response.json()["error"]


@pytest.mark.parametrize(
    ("taps", "expected"),
    [
        ({}, "No seat has been tapped yet (26 seats)."),
        ({(0, 0): 1}, "1 of 26 seats spoke, 1 time in all."),
        (
            {(0, 0): 6, (0, 1): 5, (0, 3): 5, **{(2, c): 1 for c in range(11)}},
            "14 of 26 seats spoke, 27 times in all; 3 seats had 59% of the talk.",
        ),
        (
            {(0, c): 1 for c in range(4)},
            "4 of 26 seats spoke, 4 times in all; 2 seats had 50% of the talk.",
        ),
    ],
)
def test_the_summary_says_how_widely_talk_spread(taps, expected):
    assert summary(26, taps) == expected


def test_a_place_with_no_seat_outside_the_room_is_refused_with_a_message(client_for, coach, draft):
    response = client_for(coach).post(
        f"/observations/{draft.pk}/seats/",
        {"name": "P1", "rows": 3, "columns": 3, "gaps": ["99-99"]},
    )
    assert "A place with no seat must be inside the room." in response.text
    assert not SeatLayout.objects.exists()


def test_a_new_lesson_offers_the_room_of_the_same_period(client_for, coach, cycle, draft):
    partnership = draft.cycle.partnership
    for name in ("Period 2 science", "Period 4 maths"):
        services.seat_layout_save(
            actor=coach,
            partnership=partnership,
            layout=None,
            name=name,
            rows=2,
            columns=2,
            gaps=[],
        )
    lesson = services.observation_start(actor=coach, cycle=cycle, period="Period 4")
    page = client_for(coach).get(f"/observations/{lesson.pk}/seats/")
    assert page.context["form"]["name"].value() == "Period 4 maths"
