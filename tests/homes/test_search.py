"""Search what is yours: a coach finds their notes, feedback, meetings and next steps, a
teacher their own records; nobody finds, counts or glimpses anyone else's."""

import pytest
from django.utils import timezone

from observations.models import AccessEvent
from tests import factories

pytestmark = pytest.mark.django_db


def search(client, query, **more):
    return client.get("/search/", {"q": query, **more})


def test_a_coach_finds_their_lesson_notes_feedback_meetings_and_next_steps(
    client_for, coach, world
):
    factories.ObservationNoteFactory(observation=world.draft, text="Tables turned to talk")
    world.shared.wonderings = "What if the talk moves came earlier?"
    world.shared.save()
    factories.MeetingFactory(partnership=world.partnership, agenda="Plan the talk routine")
    factories.NextStepFactory(partnership=world.partnership, text="Model talk stems")
    factories.CoachNoteFactory(partnership=world.partnership, coach=coach, text="Ask about talk")
    page = search(client_for(coach), "talk").text
    assert "5 of your records match" in page
    for label in ("Lesson note", "Feedback", "Meeting", "Next step", "Coach note"):
        assert f">{label} of " in page
    assert "<mark>talk</mark>" in page or "<mark>Talk</mark>" in page
    assert f'href="/observations/{world.draft.pk}/"' in page
    assert f'href="/partnerships/{world.partnership.pk}/notes/"' in page


def test_a_teacher_finds_their_records_but_no_draft_or_private_word_of_the_coach(
    client_for, teacher, coach, world
):
    factories.ObservationNoteFactory(observation=world.shared, text="Shared pencil moment")
    factories.ObservationNoteFactory(observation=world.draft, text="Draft pencil moment")
    factories.CoachNoteFactory(partnership=world.partnership, coach=coach, text="pencil worry")
    factories.ReflectionFactory(
        cycle=world.cycle, author=coach, visibility="private", text="pencil private"
    )
    factories.ReflectionFactory(
        cycle=world.cycle, author=teacher, visibility="private", text="my pencil thought"
    )
    page = search(client_for(teacher), "pencil").text
    assert "Shared pencil moment" in page.replace("<mark>pencil</mark>", "pencil")
    assert "my pencil thought" in page.replace("<mark>pencil</mark>", "pencil")
    assert "2 of your records match" in page
    for hidden in ("Draft", "worry", "pencil private"):
        assert hidden not in page.replace("<mark>pencil</mark>", "pencil")


def test_a_colleagues_answer_in_the_same_lesson_is_never_found(
    client_for, teacher, colleague, world
):
    world.partnership.members.create(teacher=colleague, status="accepted")
    world.shared.teachers.add(colleague)
    world.shared.responses.create(teacher=colleague, text="My own reply about fractions")
    world.shared.responses.create(teacher=teacher, text="Fractions went better")
    page = search(client_for(teacher), "fractions").text
    assert "1 of your records matches" in page
    assert "reply about" not in page


@pytest.mark.parametrize("persona", ["other_coach", "colleague"])
def test_outsiders_find_nothing_and_learn_no_count(request, client_for, world, persona):
    factories.ObservationNoteFactory(observation=world.shared, text="Zebra crossing")
    page = search(client_for(request.getfixturevalue(persona)), "zebra").text
    assert "None of your records holds" in page
    assert "Zebra" not in page.replace("“zebra”", "")


@pytest.mark.parametrize("persona", ["school_admin", "district_admin"])
def test_administrators_have_no_search_of_confidential_records(request, client_for, persona):
    assert search(client_for(request.getfixturevalue(persona)), "goal").status_code == 404


def test_the_search_box_is_in_the_navigation_of_coaches_and_teachers_only(
    client_for, coach, teacher, school_admin
):
    for person, home in ((coach, "/coach/"), (teacher, "/teacher/")):
        assert 'role="search"' in client_for(person).get(home).text
    assert 'role="search"' not in client_for(school_admin).get("/school/").text


def test_an_empty_query_asks_for_words_and_searches_nothing(client_for, coach, world):
    page = search(client_for(coach), "   ").text
    assert "Type a word or two" in page
    assert "match" not in page


def test_a_query_too_long_or_with_control_characters_says_why(client_for, coach, world):
    client = client_for(coach)
    assert "at most 100 characters" in search(client, "a" * 101).text
    response = search(client, "talk\x00")
    assert response.status_code == 200
    assert "Remove the invisible or control characters" in response.text


def test_results_come_a_page_at_a_time_newest_first(client_for, coach, world, clock):
    import datetime

    for n in range(25):
        clock.shift(datetime.timedelta(minutes=1))
        factories.ObservationNoteFactory(observation=world.draft, text=f"Window {n:02}")
    client = client_for(coach)
    first = search(client, "window").text
    assert "25 of your records match" in first
    assert "Window 24" in first.replace("<mark>Window</mark>", "Window")
    assert "Window 04" not in first.replace("<mark>Window</mark>", "Window")
    second = search(client, "window", page=2).text
    assert "Window 04" in second.replace("<mark>Window</mark>", "Window")
    assert "Page 2 of 2" in second
    assert "?page=1&amp;q=window" in second


def test_quoted_phrases_and_left_out_words(client_for, coach, world):
    factories.ObservationNoteFactory(observation=world.draft, text="Ponder pair share")
    factories.ObservationNoteFactory(observation=world.draft, text="Share then ponder")
    client = client_for(coach)
    assert "1 of your records matches" in search(client, '"pair share"').text
    assert "1 of your records matches" in search(client, "ponder -pair").text


def test_lesson_words_shown_in_results_are_in_the_teachers_access_log(
    client_for, coach, teacher, world
):
    factories.ObservationNoteFactory(observation=world.shared, text="Quiet corner")
    search(client_for(coach), "quiet")
    read = AccessEvent.objects.get(subject=teacher, actor=coach)
    assert read.record_id == world.shared.pk
    assert read.action == "read"


def test_on_postgresql_a_word_finds_its_other_forms(client_for, coach, world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("full-text search with stemming is PostgreSQL's (.ci/run)")
    factories.ObservationNoteFactory(observation=world.draft, text="Two questions asked")
    page = search(client_for(coach), "question").text
    assert "1 of your records matches" in page


def test_a_page_of_results_costs_the_same_with_1_or_25_of_every_kind(
    client_for, coach, teacher, world, clock
):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n):
        for _ in range(n):
            clock.shift(datetime.timedelta(seconds=1))  # a page holds every kind
            factories.ObservationNoteFactory(observation=world.shared, text="Ring")
            factories.ObservationNoteFactory(observation=world.draft, text="Ring")
            factories.ObservationFactory(cycle=world.cycle, status="shared", strengths="Ring")
            world.shared.responses.get_or_create(teacher=teacher, defaults={"text": "Ring"})
            factories.MeetingFactory(
                partnership=world.partnership, agenda="Ring", starts_at=timezone.now()
            )
            factories.NextStepFactory(partnership=world.partnership, text="Ring")
            factories.CoachNoteFactory(partnership=world.partnership, coach=coach, text="Ring")
            factories.ReflectionFactory(cycle=world.cycle, author=teacher, text="Ring")

    def cost(person):
        # Past the access log's window, so each measure writes its reads afresh.
        clock.shift(datetime.timedelta(hours=1))
        with CaptureQueriesContext(connection) as captured:
            assert search(client, "ring").status_code == 200
        return len(captured)

    for person in (coach, teacher):
        client = client_for(person)
        grow(1)
        few = cost(person)
        grow(24)
        assert cost(person) == few, person
        assert few <= 16
