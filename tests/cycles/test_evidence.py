import pytest

from cycles.models import EvidenceSnapshot

pytestmark = pytest.mark.django_db


def record(client, cycle, kind="pre", assessed="25", proficient="10"):
    return client.post(
        f"/cycles/{cycle.pk}/evidence/",
        {
            "kind": kind,
            "taken_on": cycle.partnership.school.today().isoformat(),
            "students_assessed": assessed,
            "students_proficient": proficient,
        },
    )


def test_pre_and_post_counts_are_recorded_and_replaced(client_for, coach, cycle):
    client = client_for(coach)
    record(client, cycle, "pre", "25", "10")
    record(client, cycle, "pre", "26", "11")
    record(client, cycle, "post", "26", "20")
    assert [(s.kind, s.students_proficient) for s in EvidenceSnapshot.objects.all()] == [
        ("post", 20),
        ("pre", 11),
    ]


def test_more_proficient_than_assessed_is_refused(client_for, coach, cycle):
    response = record(client_for(coach), cycle, assessed="20", proficient="21")
    assert response.status_code == 200
    assert "no more are proficient than assessed" in response.text
    assert not EvidenceSnapshot.objects.exists()


def test_the_form_says_no_student_is_ever_named(client_for, coach, cycle):
    assert "never records a student" in client_for(coach).get(f"/cycles/{cycle.pk}/evidence/").text
