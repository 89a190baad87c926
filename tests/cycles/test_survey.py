"""The teachers' voice about coaching: a short survey when a cycle closes, shown to the coach
only in groups of REPORT_MIN_GROUP different teachers, with nothing that tells which teacher
said what: no name, no date, no order, and no count that moves by one answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from cycles import services
from cycles.models import Cycle, SurveyAnswer, SurveyGroup, SurveyReceipt
from cycles.selectors import voice_of
from tests import factories

pytestmark = pytest.mark.django_db
K = 3


def closed_cycle_of(coach, school, *, teacher=None, name=""):
    teacher = teacher or factories.teacher_at(school, user__full_name=name or "A teacher")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    cycle = factories.CycleFactory(partnership=partnership)
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    return teacher, cycle


def answer(teacher, cycle, comment="", useful="yes"):
    services.survey_answer(
        actor=teacher, cycle=cycle, useful=useful, safe="yes", again="partly", comment=comment
    )


@pytest.fixture(autouse=True)
def small_groups():
    with override_settings(REPORT_MIN_GROUP=K):
        yield


def test_the_teacher_answers_once_the_cycle_has_closed(client_for, coach, teacher, cycle):
    client = client_for(teacher)
    page = client.get(f"/cycles/{cycle.pk}/survey/", follow=True)
    assert "once the cycle has closed" in page.content.decode()
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    detail = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "How was the coaching" in detail
    home = client.get("/teacher/").content.decode()
    assert f"/cycles/{cycle.pk}/survey/" in home
    response = client.post(
        f"/cycles/{cycle.pk}/survey/",
        {"useful": "yes", "safe": "partly", "again": "yes", "comment": "Kind and clear."},
    )
    assert response.status_code == 302
    assert SurveyAnswer.objects.get().comment == "Kind and clear."
    # Asked once: the card goes, a second answer is refused and changes nothing.
    assert f"/cycles/{cycle.pk}/survey/" not in client.get("/teacher/").content.decode()
    again = client.post(
        f"/cycles/{cycle.pk}/survey/", {"useful": "no", "safe": "no", "again": "no"}
    )
    assert "already answered" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1


def test_a_teacher_who_would_rather_not_is_not_asked_again(client_for, coach, teacher, cycle):
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    client = client_for(teacher)
    client.post(f"/cycles/{cycle.pk}/survey/decline/")
    assert SurveyReceipt.objects.get(teacher=teacher).group is None
    assert not SurveyAnswer.objects.exists()
    assert "How was the coaching" not in client.get(f"/cycles/{cycle.pk}/").content.decode()


def test_an_unanswered_form_says_what_is_missing_and_saves_nothing(
    client_for, coach, teacher, cycle
):
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    page = client_for(teacher).post(f"/cycles/{cycle.pk}/survey/", {"useful": "maybe"})
    assert page.status_code == 200
    assert "Choose an answer" in page.content.decode()
    assert not SurveyAnswer.objects.exists()
    assert not SurveyReceipt.objects.exists()


def test_the_coach_is_never_asked_and_never_sees_whether_the_teacher_answered(
    client_for, coach, teacher, cycle
):
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    client = client_for(coach)
    assert client.get(f"/cycles/{cycle.pk}/survey/").status_code == 404
    assert client.post(f"/cycles/{cycle.pk}/survey/decline/").status_code == 404
    answer(teacher, cycle, comment="Fine")
    after = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "survey" not in after.lower()
    assert "answered" not in after.lower()


def test_answers_show_only_in_groups_of_k_different_teachers(coach, school):
    # The same teacher twice does not make a group.
    first, cycle = closed_cycle_of(coach, school)
    answer(first, cycle, comment="First said this")
    _, again = closed_cycle_of(coach, school, teacher=first)
    answer(first, again, comment="First said this again")
    for n in range(K - 2):
        teacher, cycle = closed_cycle_of(coach, school, name=f"Teacher {n}")
        answer(teacher, cycle, comment=f"Comment {n}")
        assert voice_of(coach)["answered"] == 0
    teacher, cycle = closed_cycle_of(coach, school, name="Last one")
    answer(teacher, cycle, comment="Last said this")
    shown = voice_of(coach)
    assert shown["answered"] == K
    assert "First said this again" not in shown["comments"]  # in the next group, still filling
    # One more answer moves nothing: the next group shows when it too holds K teachers.
    teacher, cycle = closed_cycle_of(coach, school, name="One more")
    answer(teacher, cycle, comment="One more said this")
    assert voice_of(coach) == shown


def test_comments_come_in_alphabetical_order_with_no_date(coach, school):
    said = ["zebra crossing was useful", "Apples", "middle of the road"]
    for n, comment in enumerate(said):
        teacher, cycle = closed_cycle_of(coach, school, name=f"T{n}")
        answer(teacher, cycle, comment=comment, useful=["yes", "partly", "no"][n])
    shown = voice_of(coach)
    assert shown["comments"] == ["Apples", "middle of the road", "zebra crossing was useful"]
    useful = shown["questions"][0]["answers"]
    assert [(a["label"], a["count"]) for a in useful] == [("Yes", 1), ("Somewhat", 1), ("No", 1)]


def test_an_answer_holds_no_teacher_cycle_or_date(coach, school):
    fields = {field.name for field in SurveyAnswer._meta.get_fields()}
    assert fields == {"id", "group", "useful", "safe", "again", "comment"}
    group_fields = {field.name for field in SurveyGroup._meta.concrete_fields}
    assert group_fields == {"id", "coach", "school", "closed_on"}
    # Nor may the receipts (who answered) be matched with the answers by their order.
    written = []
    for n in range(K):
        teacher, cycle = closed_cycle_of(coach, school, name=f"T{n}")
        answer(teacher, cycle, comment=f"comment {n}")
        written.append(f"comment {n}")
    ids = set(SurveyAnswer.objects.values_list("pk", flat=True))
    assert len(ids) == K
    assert set(SurveyAnswer.objects.values_list("comment", flat=True)) == set(written)


def test_the_group_is_written_again_when_it_is_shown(coach, school):
    """The rows' ids and order on disk are new, so neither matches the order of answering."""
    teachers = [closed_cycle_of(coach, school, name=f"T{n}") for n in range(K)]
    for teacher, cycle in teachers[:-1]:
        answer(teacher, cycle)
    before = set(SurveyAnswer.objects.values_list("pk", flat=True))
    answer(*teachers[-1])
    after = set(SurveyAnswer.objects.values_list("pk", flat=True))
    assert len(after) == K
    assert not before & after
    assert SurveyGroup.objects.get().closed_on == school.today()


def test_only_the_cycles_teachers_answer_and_only_when_it_is_closed(coach, teacher, school):
    cycle = factories.CycleFactory(
        partnership=factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    )
    with pytest.raises(ValidationError, match="once the cycle has closed"):
        answer(teacher, cycle)
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    stranger = factories.teacher_at(school)
    with pytest.raises(ValidationError, match="Only the cycle's teachers"):
        answer(stranger, Cycle.objects.get(pk=cycle.pk))
    with pytest.raises(ValidationError, match="Choose an answer"):
        services.survey_answer(actor=teacher, cycle=cycle, useful="x", safe="yes", again="yes")
    assert not SurveyAnswer.objects.exists()


def test_a_cycle_closed_a_term_ago_is_no_longer_asked_about(
    client_for, coach, teacher, cycle, clock
):
    services.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    clock.shift(datetime.timedelta(days=91))
    client = client_for(teacher)
    assert f"/cycles/{cycle.pk}/survey/" not in client.get("/teacher/").content.decode()
    page = client.get(f"/cycles/{cycle.pk}/survey/", follow=True).content.decode()
    assert "too long ago" in page
    assert not SurveyReceipt.objects.exists()
