"""Pages name people, never ids: every page each persona can open, read as a person reads it
(text and the options of every choice, not addresses or hidden values), shows no raw id or
record-name-by-date as the name of a person or partnership; and detail pages say whom they
concern in their heading, their <title> and their back link."""

import re
from html.parser import HTMLParser

import pytest

from tests.site.test_permission_matrix import MATRIX, PERSONAS, ROUTES, url_of

pytestmark = pytest.mark.django_db

# A fragment of a UUID or a hex id ("7f94493b"), or a model's own name of a record, which
# says its kind and date because Django shows it where words must not go (see __str__).
RAW_ID = re.compile(
    r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8}\b"
    r"|\b(?:Partnership of|Cycle from|Observation of|Goal of|meeting of) \d{4}-\d\d"
)


class VisibleText(HTMLParser):
    """What a person reads: text outside <script> and <style>, <title> included."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


HOMES = {
    "coach": "/coach/",
    "teacher": "/teacher/",
    "colleague": "/teacher/",
    "other_coach": "/coach/",
    "school_admin": "/",
    "district_admin": "/",
    "lead": "/coaches/",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_names_a_person_or_partnership_by_id(request, client_for, world, persona):
    client = client_for(request.getfixturevalue(persona))
    urls = [HOMES[persona]] + [
        url_of(ROUTES[name], world, observation=observation)
        for name, (method, statuses) in MATRIX.items()
        if method == "get" and statuses.get(persona) == 200
        for observation in (world.shared, world.draft)
    ]
    assert len(urls) > 3
    for url in dict.fromkeys(urls):
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        text = visible_text(response.content.decode())
        found = RAW_ID.search(text)
        assert not found, f"{persona} reads {found[0]!r} on {url}"


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S)[1]


def test_the_cycle_page_names_the_other_side(client_for, coach, teacher, cycle):
    coach_page = client_for(coach).get(f"/cycles/{cycle.pk}/").text
    assert "with Daniel Reyes" in coach_page
    assert "with Maya Okafor" not in coach_page
    assert "Daniel Reyes" in title_of(coach_page)
    assert "&larr; Daniel Reyes</a>" in coach_page

    teacher_page = client_for(teacher).get(f"/cycles/{cycle.pk}/").text
    assert "with Maya Okafor" in teacher_page
    assert "&larr; Maya Okafor</a>" in teacher_page


def test_an_observation_says_whose_lesson_it_was(client_for, coach, teacher, cycle):
    from tests import factories

    observation = factories.ObservationFactory(cycle=cycle, status="shared")
    coach_page = client_for(coach).get(f"/observations/{observation.pk}/").text
    assert "Daniel Reyes’s lesson of" in coach_page
    assert "Daniel Reyes" in title_of(coach_page)
    teacher_page = client_for(teacher).get(f"/observations/{observation.pk}/").text
    assert "Your lesson of" in teacher_page


def test_a_meeting_says_with_whom(client_for, coach, world):
    page = client_for(coach).get(f"/meetings/{world.meeting.pk}/").text
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]
    assert heading.endswith("meeting with Daniel Reyes")
    assert "Daniel Reyes" in title_of(page)


def test_the_activity_log_says_with_whom(client_for, coach, partnership, school):
    from tests import factories

    factories.ActivityEntryFactory(coach=coach, school=school, partnership=partnership)
    page = client_for(coach).get("/activity/").text
    assert '<th scope="col">With</th>' in page
    assert "<td>Daniel Reyes</td>" in page


def test_editing_an_entry_says_with_whom(client_for, coach, partnership, school):
    from tests import factories

    entry = factories.ActivityEntryFactory(coach=coach, school=school, partnership=partnership)
    page = client_for(coach).get(f"/activity/{entry.pk}/edit/").text
    assert re.search(r"<title>Edit the entry of \w+ \d+ with Daniel Reyes", page)
