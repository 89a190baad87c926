"""What a district writes (focus areas, strategies, look-fors, coaching competencies) may be kept in
Spanish beside the English; a reader of Spanish sees the Spanish where there is one, and
the English where there is none."""

import pytest
from django.test import Client

from cycles.models import FocusArea, Strategy
from growth.models import Competency
from observations.models import LookForTemplate
from tests import factories

pytestmark = pytest.mark.django_db


def reading(person, lang):
    person.language = lang
    person.save(update_fields=["language"])
    return factories.sign_in(Client(), person)


def test_a_new_district_starts_with_its_lists_in_spanish_too(district):
    area = FocusArea.objects.get(district=district, name="Formative assessment")
    assert area.said("name", "es") == "Evaluación formativa"
    assert area.said("name", "en") == "Formative assessment"
    listening = Competency.objects.get(district=district, name="Listening")
    assert listening.said("name", "es") == "Escucha"


def test_a_district_administrator_gives_a_strategy_its_spanish(district_admin, district):
    client = reading(district_admin, "en")
    page = client.get("/library/strategies/new/")
    assert 'name="title_es"' in page.text
    assert 'lang="es"' in page.text
    response = client.post(
        "/library/strategies/new/",
        {
            "title": "Turn and talk",
            "description": "Partners share their thinking.",
            "checklist": "Prompt\nTime",
            "title_es": "Conversa con tu pareja",
            "description_es": "Las parejas comparten lo que piensan.",
            "checklist_es": "Pregunta\nTiempo",
        },
    )
    assert response.status_code == 302
    strategy = Strategy.objects.get(district=district, title="Turn and talk")
    assert strategy.translations == {
        "es": {
            "title": "Conversa con tu pareja",
            "description": "Las parejas comparten lo que piensan.",
            "checklist": "Pregunta\nTiempo",
        }
    }


def test_each_reader_sees_their_own_languages_words(coach, district):
    strategy = factories.StrategyFactory(
        district=district,
        title="Turn and talk",
        description="Partners share their thinking.",
        translations={"es": {"title": "Conversa con tu pareja"}},
    )
    in_spanish = reading(coach, "es").get(f"/strategies/{strategy.pk}/").text
    assert "Conversa con tu pareja" in in_spanish
    # No Spanish was given for the description: the English stands in.
    assert "Partners share their thinking." in in_spanish
    in_english = reading(coach, "en").get(f"/strategies/{strategy.pk}/").text
    assert "Turn and talk" in in_english
    assert "Conversa con tu pareja" not in in_english


def test_the_focus_area_a_cycle_works_on_is_named_in_the_readers_language(teacher, cycle, district):
    cycle.focus_area = FocusArea.objects.get(district=district, name="Instruction")
    cycle.save()
    assert "Enseñanza" in reading(teacher, "es").get(f"/cycles/{cycle.pk}/").text


def test_a_look_for_template_kept_in_spanish_reaches_the_teacher_and_the_lesson(
    district_admin, district, teacher, coach, cycle
):
    admin = reading(district_admin, "en")
    assert 'name="look_fors-0-description_es"' in admin.get("/look-fors/new/").text
    data = {
        "name": "Student discourse",
        "name_es": "Diálogo entre estudiantes",
        "look_fors-TOTAL_FORMS": 3,
        "look_fors-INITIAL_FORMS": 0,
        "look_fors-0-section": "Talk",
        "look_fors-0-section_es": "Diálogo",
        "look_fors-0-description": "Students explain their reasoning",
        "look_fors-0-description_es": "Los estudiantes explican su razonamiento",
        "look_fors-0-prompt": "Who explains?",
    }
    assert admin.post("/look-fors/new/", data).status_code == 302
    template = LookForTemplate.objects.get(district=district, name="Student discourse")
    look_for = template.look_fors.get()
    assert look_for.translations == {
        "es": {"section": "Diálogo", "description": "Los estudiantes explican su razonamiento"}
    }
    assert (
        reading(coach, "es")
        .get(f"/look-fors/{template.pk}/")
        .text.count("Los estudiantes explican su razonamiento")
    )
    # The teacher, reading Spanish, chooses it; the prompt has no Spanish: the English stays.
    choose = reading(teacher, "es")
    page = choose.get(f"/cycles/{cycle.pk}/look-fors/").text
    assert "Diálogo entre estudiantes" in page
    assert "Los estudiantes explican su razonamiento" in page
    assert "Who explains?" in page
    choose.post(f"/cycles/{cycle.pk}/look-fors/", {"picks": [f"library:{look_for.pk}"]})
    chosen = cycle.look_fors.get(origin=f"library:{look_for.pk}")
    assert chosen.said("description", "es") == "Los estudiantes explican su razonamiento"
    assert chosen.said("description", "en") == "Students explain their reasoning"
    # Saving it again unchanged makes no new version; a changed Spanish word does.
    edit = {
        **data,
        "look_fors-INITIAL_FORMS": 1,
    }
    admin.post(f"/look-fors/{template.pk}/edit/", edit)
    template.refresh_from_db()
    assert template.version == 1
    admin.post(
        f"/look-fors/{template.pk}/edit/",
        {**edit, "look_fors-0-description_es": "Los estudiantes explican cómo piensan"},
    )
    template.refresh_from_db()
    assert template.version == 2
