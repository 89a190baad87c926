"""The teacher's access log tells them truthfully who opened or changed what, in words
that do not make a coach's routine visit read like an inspection."""

import re

import pytest

pytestmark = pytest.mark.django_db


def rows(page):
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    ]


def test_a_coach_opening_the_shared_feedback_is_said_calmly(client_for, coach, teacher, world):
    client_for(coach).get(f"/observations/{world.shared.pk}/")
    page = client_for(teacher).get("/my-records/access/").text
    assert '<h1 class="h3">Who opened my records</h1>' in page
    (row,) = rows(page)[1:]
    assert "Maya Okafor opened Observation of" in row
    assert " read " not in f" {row} "
    assert "read by" not in page
    assert "Who has read" not in page
    assert "Usually it is your coach" in page


def test_a_change_is_still_called_a_change(client_for, coach, teacher, world):
    client_for(coach).post(
        f"/observations/{world.draft.pk}/feedback/",
        {"strengths": "s", "wonderings": "", "next_steps": ""},
    )
    page = client_for(teacher).get("/my-records/access/").text
    assert any("Maya Okafor changed Observation of" in row for row in rows(page))


def test_the_menu_and_the_home_use_the_same_words(client_for, teacher):
    page = client_for(teacher).get("/teacher/").text
    assert "Who opened my records" in page
    assert "Who read my records" not in page
    assert "Who has read my records" not in page
