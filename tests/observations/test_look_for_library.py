"""The look-for library: district administrators keep the district's templates, school
administrators their school's; everyone in the district reads them; JSON goes in and out;
a changed template never rewrites a past observation."""

import io
import json
import re
from html.parser import HTMLParser

import pytest

from observations import services
from observations.models import LookForTemplate
from observations.selectors import look_for_options
from tests import factories

pytestmark = pytest.mark.django_db


def rows(*descriptions, section="Talk"):
    """The editor's form: one row per look-for, and the three empty rows it always adds."""
    data = {"look_fors-TOTAL_FORMS": len(descriptions) + 3, "look_fors-INITIAL_FORMS": 0}
    for i, text in enumerate(descriptions):
        data[f"look_fors-{i}-section"] = section
        data[f"look_fors-{i}-description"] = text
    return data


def test_a_district_administrator_writes_a_template_in_sections(client_for, district_admin):
    response = client_for(district_admin).post(
        "/look-fors/new/",
        {
            "name": "Student discourse",
            **rows("Students explain their reasoning", "Students ask each other questions"),
            "look_fors-1-counted": "on",
            "look_fors-1-prompt": "Who asks?",
        },
    )
    template = LookForTemplate.objects.get()
    assert response.url == f"/look-fors/{template.pk}/"
    assert template.school is None
    assert template.version == 1
    assert [(f.section, f.description, f.counted, f.prompt) for f in template.look_fors.all()] == [
        ("Talk", "Students explain their reasoning", False, ""),
        ("Talk", "Students ask each other questions", True, "Who asks?"),
    ]


def test_a_school_administrator_keeps_the_schools_own_templates(
    client_for, school_admin, school, district_admin, other_coach, colleague
):
    client = client_for(school_admin)
    client.post("/look-fors/new/", {"name": "Our routines", **rows("Calm starts")})
    template = LookForTemplate.objects.get()
    assert template.school == school
    assert "You keep it" in client.get("/look-fors/").text
    # The district's administrators see what a school added, but keep only the district's;
    # a teacher of the school reads it; another school's coach does not see it at all.
    assert client_for(district_admin).get(f"/look-fors/{template.pk}/").status_code == 200
    assert client_for(district_admin).get(f"/look-fors/{template.pk}/edit/").status_code == 404
    assert client_for(colleague).get(f"/look-fors/{template.pk}/").status_code == 200
    assert client_for(other_coach).get(f"/look-fors/{template.pk}/").status_code == 404
    assert "Our routines" not in client_for(other_coach).get("/look-fors/").text


def test_a_school_administrator_cannot_change_the_districts_templates(
    client_for, school_admin, district
):
    template = factories.LookForTemplateFactory(district=district)
    client = client_for(school_admin)
    assert client.get(f"/look-fors/{template.pk}/").status_code == 200
    assert client.post(f"/look-fors/{template.pk}/edit/", {"name": "Mine"}).status_code == 404
    assert "Edit" not in client.get(f"/look-fors/{template.pk}/").text


def test_coaches_and_teachers_read_the_library_and_add_nothing(client_for, coach, teacher, world):
    for person in (coach, teacher):
        client = client_for(person)
        page = client.get("/look-fors/")
        assert world.template.name in page.text
        assert "New template" not in page.text
        assert client.get("/look-fors/new/").status_code == 404
        assert client.get("/look-fors/import/").status_code == 404


def test_the_library_says_when_it_is_empty(client_for, coach):
    assert "The library is empty" in client_for(coach).get("/look-fors/").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", **rows("Seen")}, "This field is required."),
        ({"name": "Empty", **rows()}, "Add at least one look-for."),
        ({"name": "Twice", **rows("Seen", "seen")}, "“seen” is already in the template."),
    ],
)
def test_a_template_with_a_mistake_is_shown_again_and_nothing_saved(
    client_for, district_admin, data, message
):
    response = client_for(district_admin).post("/look-fors/new/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not LookForTemplate.objects.exists()


def test_two_templates_of_one_library_cannot_share_a_name(client_for, district_admin, district):
    factories.LookForTemplateFactory(district=district, name="Discourse")
    response = client_for(district_admin).post(
        "/look-fors/new/", {"name": "discourse", **rows("x")}
    )
    assert "already has a template called “discourse”" in response.text
    assert LookForTemplate.objects.count() == 1


def test_a_change_makes_a_new_version_and_past_observations_keep_their_words(
    client_for, district_admin, district, coach, teacher, cycle
):
    template = factories.LookForTemplateFactory(district=district, look_fors=["Old words"])
    options = look_for_options(cycle)
    services.look_fors_choose(actor=teacher, cycle=cycle, options=options, picks=list(options))
    observation = services.observation_start(actor=coach, cycle=cycle)
    client = client_for(district_admin)
    page = client.get(f"/look-fors/{template.pk}/edit/")
    assert "Old words" in page.text
    client.post(
        f"/look-fors/{template.pk}/edit/",
        {"name": template.name, **rows("New words"), "look_fors-INITIAL_FORMS": 0},
    )
    template.refresh_from_db()
    assert template.version == 2
    assert [f.description for f in template.look_fors.all()] == ["New words"]
    kept = observation.look_fors.get()
    assert (kept.description, kept.template_version) == ("Old words", 1)
    # Saving without a change is no new version.
    client.post(f"/look-fors/{template.pk}/edit/", {"name": template.name, **rows("New words")})
    template.refresh_from_db()
    assert template.version == 2


def test_a_template_exported_by_one_district_imports_whole_into_another(
    client_for, district_admin, district
):
    template = factories.LookForTemplateFactory(
        district=district, name="Discourse", look_fors=["Students explain", "Students ask"]
    )
    exported = client_for(district_admin).get(f"/look-fors/{template.pk}/look-fors.json")
    assert exported["Content-Disposition"].startswith("attachment")
    data = exported.json()
    assert data["format"] == "tandem-look-fors"
    assert data["version"] == 1

    elsewhere = factories.district_admin_of(factories.DistrictFactory())
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "discourse.json"
    response = client_for(elsewhere).post("/look-fors/import/", {"file": upload})
    imported = LookForTemplate.objects.exclude(pk=template.pk).get()
    assert response.url == f"/look-fors/{imported.pk}/"
    assert imported.district != district
    assert [f.description for f in imported.look_fors.all()] == ["Students explain", "Students ask"]


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (b"not json", ["The file is not JSON"]),
        (json.dumps({"format": "other"}).encode(), ["This is not a Tandem look-for template"]),
        (
            json.dumps(
                {
                    "format": "tandem-look-fors",
                    "name": "Framework",
                    "rating": "1-4",
                    "sections": [
                        {
                            "name": "Talk",
                            "look_fors": [
                                {"description": "Fine", "score": 3},
                                {"description": ""},
                                "just text",
                            ],
                        }
                    ],
                }
            ).encode(),
            [
                "“rating”: Tandem keeps no ratings, scales or scores.",
                "Section 1, look-for 1, “score”: Tandem keeps no ratings, scales or scores.",
                "Section 1, look-for 3: must be an object with a “description”.",
            ],
        ),
        (
            json.dumps(
                {
                    "format": "tandem-look-fors",
                    "name": "x",
                    "sections": [{"name": "", "look_fors": [{"description": ""}]}],
                }
            ).encode(),
            ["Section 1, look-for 1: describe what would be seen."],
        ),
    ],
)
def test_an_import_with_mistakes_adds_nothing_and_lists_every_one(
    client_for, district_admin, content, messages
):
    upload = io.BytesIO(content)
    upload.name = "template.json"
    response = client_for(district_admin).post("/look-fors/import/", {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    for message in messages:
        assert message in response.text
    assert not LookForTemplate.objects.exists()


def test_a_look_for_kept_through_a_change_stays_ticked_for_the_teacher(
    client_for, district_admin, district, teacher, cycle
):
    template = factories.LookForTemplateFactory(district=district, look_fors=["Wait time"])
    options = look_for_options(cycle)
    services.look_fors_choose(actor=teacher, cycle=cycle, options=options, picks=list(options))
    client_for(district_admin).post(
        f"/look-fors/{template.pk}/edit/",
        {"name": template.name, **rows("Wait time", "Students ask each other")},
    )
    page = client_for(teacher).get(f"/cycles/{cycle.pk}/look-fors/").text
    picked = re.search(
        r'<input[^>]*value="library:\d+"[^>]*checked[^>]*>\s*<label[^>]*>([^<]*)', page
    )
    assert picked.group(1) == "Wait time"
    assert "Also chosen" not in page


def template_file(**changes):
    data = {
        "format": "tandem-look-fors",
        "format_version": 1,
        "name": "Shared",
        "sections": [{"name": "Talk", "look_fors": [{"description": "Students explain"}]}],
    }
    return json.dumps({**data, **changes}).encode()


def upload(content):
    file = io.BytesIO(content)
    file.name = "template.json"
    return {"file": file}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # Found by trying it: each answered 500, or was taken in.
        (template_file(name="\ud800"), "Name: it holds characters that cannot be stored."),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not JSON"),
        (b'{"format": "tandem-look-fors", "name": NaN, "sections": []}', "The file is not JSON"),
        (template_file(Rating="1-4"), "“Rating”: Tandem keeps no ratings, scales or scores."),
        (template_file(rating_scale=[1, 2]), "“rating_scale”: Tandem keeps no ratings"),
        (
            template_file(sections=[{"name": "T", "look_fors": [
                {"description": "x", "points": 3}]}]),
            "Section 1, look-for 1, “points”: Tandem keeps no ratings, scales or scores.",
        ),
        (template_file(extra={"rubric": []}), "“extra” is not part of a look-for template."),
        (template_file(format_version=99), "This file was made by a newer Tandem"),
        (template_file(description="x" * 2001), "Description: keep it under 2000 characters."),
        (
            template_file(name="Ann\x00Lee"),
            "Name: remove the invisible or control characters (such as U+0000).",
        ),
        (
            template_file(sections=[{"name": "A", "look_fors": [{"description": "x"}]},
                                    {"name": "B", "look_fors": [{"description": ""}]}]),
            "Section 2, look-for 1: describe what would be seen.",
        ),
    ],
)  # fmt: skip
def test_an_import_refuses_what_it_cannot_keep_and_says_where(
    client_for, district_admin, content, message
):
    response = client_for(district_admin).post("/look-fors/import/", upload(content))
    assert response.status_code == 200
    assert message in response.text
    assert not LookForTemplate.objects.exists()


def test_a_template_name_with_control_characters_is_refused(client_for, district_admin):
    response = client_for(district_admin).post(
        "/look-fors/new/", {"name": "ctl\x07\x1b[31m", **rows("Seen")}
    )
    assert "Remove the invisible or control characters (such as U+0007)." in response.text
    assert not LookForTemplate.objects.exists()


class FieldsetOpenings(HTMLParser):
    """The first element inside each <fieldset> of a page, by tag name."""

    def __init__(self):
        super().__init__()
        self.firsts, self._waiting = [], False

    def handle_starttag(self, tag, attrs):
        if self._waiting:
            self.firsts.append(tag)
        self._waiting = tag == "fieldset"


def test_each_look_for_row_is_a_fieldset_named_by_its_legend(client_for, district_admin, district):
    # A screen reader names a group by its legend only when the legend is the fieldset's
    # first child; inside a <div> it names nothing (and the HTML checker flags it).
    template = factories.LookForTemplateFactory(district=district)
    client = client_for(district_admin)
    for url in ("/look-fors/new/", f"/look-fors/{template.pk}/edit/"):
        page = FieldsetOpenings()
        page.feed(client.get(url).text)
        assert len(page.firsts) >= 3, url
        assert set(page.firsts) == {"legend"}, url
