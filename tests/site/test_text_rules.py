"""One rule for what a one-line field may hold, one for multi-line fields, in every form
and import (accounts/text.py).

A right-to-left override makes a look-for read backwards, a name of zero-width spaces looks
empty, and ESC sequences repaint a terminal or a spreadsheet cell: all are refused with a
message, and nothing changes. Line breaks and tabs stay welcome where text runs on.
"""

import importlib
import inspect
import uuid

import pytest
from django import forms
from django.conf import settings

from accounts.models import User
from accounts.text import TextRules
from observations.models import ObservationNote, SeatLayout
from tests import factories

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZWSP = "\u200b"  # ZERO WIDTH SPACE


def test_a_look_for_cannot_be_turned_around_by_a_right_to_left_override(client_for, coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle)
    response = client_for(coach).post(
        f"/observations/{draft.pk}/look-fors/",
        {"description": f"Students explain {RLO}anA yb nesohc", "counted": ""},
        follow=True,
    )
    assert "Remove the invisible or control characters (such as U+202E)." in response.text
    assert not draft.look_fors.exists()


def test_a_room_name_with_a_bidi_isolate_is_refused(client_for, coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle)
    response = client_for(coach).post(
        f"/observations/{draft.pk}/seats/",
        {"name": "Period 3\u2067 maths", "rows": 4, "columns": 5},
    )
    assert response.status_code == 200
    assert "such as U+2067" in response.text
    assert not SeatLayout.objects.exists()


def test_a_name_of_zero_width_characters_is_refused(client_for, school_admin, school):
    response = client_for(school_admin).post(
        "/people/invite/",
        {
            "full_name": ZWSP * 3,
            "email": "ghost@example.org",
            "role": "teacher",
            "school": school.pk,
        },
    )
    assert response.status_code == 200
    assert "such as U+200B" in response.text
    assert not User.objects.filter(email="ghost@example.org").exists()


def test_a_roster_name_with_an_override_names_its_line(client_for, school_admin, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = f"Ada Lovelace,ada@example.org,teacher\nAlan {RLO}gniruT,alan@example.org,coach\n"
    upload = SimpleUploadedFile("roster.csv", text.encode(), "text/csv")
    response = client_for(school_admin).post(
        "/people/import/", {"school": school.pk, "roster": upload}
    )
    assert (
        "Line 2 (alan@example.org): in the name, remove the invisible or control" in response.text
    )
    assert not User.objects.filter(email="ada@example.org").exists()


def test_a_persian_name_keeps_its_zero_width_non_joiner(client_for, school_admin, school):
    name = "محمد\u200cرضا Karimi"
    client_for(school_admin).post(
        "/people/invite/",
        {"full_name": name, "email": "mr@example.org", "role": "teacher", "school": school.pk},
    )
    assert User.objects.get(email="mr@example.org").full_name == name


def test_a_note_with_an_escape_sequence_is_refused_but_lines_and_tabs_stay(
    client_for, coach, cycle
):
    draft = factories.ObservationFactory(cycle=cycle)
    client = client_for(coach)
    refused = client.post(
        f"/observations/{draft.pk}/notes/",
        {"client_id": uuid.uuid4(), "text": "\x1b[2J\x1b[31mAll good"},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    assert "such as U+001B" in refused.text
    kept = client.post(
        f"/observations/{draft.pk}/notes/",
        {"client_id": uuid.uuid4(), "text": "Group A:\n\tfour hands up"},
        HTTP_ACCEPT="application/json",
    )
    assert kept.status_code == 200
    assert list(ObservationNote.objects.values_list("text", flat=True)) == [
        "Group A:\n\tfour hands up"
    ]


def test_a_goal_measure_refuses_control_characters(client_for, coach, cycle):
    response = client_for(coach).post(
        f"/observations/{factories.ObservationFactory(cycle=cycle, status='shared').pk}/to-goal/",
        {"value": "3", "what": "Exit tickets\x1b[0m"},
        follow=True,
    )
    assert "such as U+001B" in response.text
    assert not cycle.goal.progress.filter(note__startswith="Exit tickets").exists()


def project_forms():
    for app in settings.LOCAL_APPS:
        for module_name in ("forms", "people_forms"):
            try:
                module = importlib.import_module(f"{app}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_form_of_tandem_applies_the_text_rules():
    found = list(project_forms())
    assert len(found) > 25
    assert [cls.__name__ for cls in found if not issubclass(cls, TextRules)] == []


def test_feedback_cannot_be_reordered_by_an_override_but_keeps_other_scripts(
    client_for, coach, cycle
):
    draft = factories.ObservationFactory(cycle=cycle, strengths="")
    client = client_for(coach)
    url = f"/observations/{draft.pk}/feedback/"
    refused = client.post(url, {"strengths": f"abc{RLO}def", "wonderings": "", "next_steps": ""})
    assert "such as U+202E" in refused.text
    draft.refresh_from_db()
    assert draft.strengths == ""
    client.post(url, {"strengths": "שלום — مرحبا 👩‍🏫", "wonderings": "", "next_steps": ""})
    draft.refresh_from_db()
    assert draft.strengths == "שלום — مرحبا 👩‍🏫"
