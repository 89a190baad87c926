"""The report's bar chart of coaching minutes: readable on a phone, scaled to its largest
bar, and told in words to a screen reader."""

import pytest

from coaching.models import ActivityEntry
from tests import factories
from tests.reports.markup import parse
from tests.reports.scenarios import release

pytestmark = pytest.mark.django_db

TITLE = "minutes-chart-title"
KINDS = [label for _, label in ActivityEntry.Kind.choices]


@pytest.fixture
def logged_time(school, coach, district, in_last_term):
    for kind, minutes in (("conversation", 300), ("observation", 150), ("non_coaching", 30)):
        factories.ActivityEntryFactory(
            coach=coach, school=school, kind=kind, minutes=minutes, date=in_last_term
        )
    release(district)


def minutes_chart(client):
    page = parse(client.get("/school/").text)
    (svg,) = [s for s in page.find_all("svg") if s.attrs.get("aria-labelledby") == TITLE]
    return svg


def bars(svg):
    return [rect for rect in svg.find_all("rect") if "bar" in rect.classes()]


def test_the_longest_bar_fills_the_bar_area(client_for, school_admin, logged_time):
    svg = minutes_chart(client_for(school_admin))
    widths = dict(zip(KINDS, [rect.attrs["width"] for rect in bars(svg)], strict=True))
    assert widths["Coaching conversation"] == "100%"
    assert widths["Observation"] == "50%"
    assert widths["Non-coaching duty"] == "10%"
    assert widths["Modelling"] == "0%"


def test_a_kind_whose_minutes_are_hidden_has_no_bar(
    client_for, school_admin, school, district, in_last_term
):
    coach = factories.coach_at(school)
    for teachers, kind in ((1, "modelling"), (6, "conversation")):
        for _ in range(teachers):
            factories.ActivityEntryFactory(
                coach=coach, school=school, kind=kind, date=in_last_term,
                partnership=factories.PartnershipFactory(school=school, coach=coach),
            )  # fmt: skip
    release(district)
    svg = minutes_chart(client_for(school_admin))
    labels = [text.text for text in svg.find_all("text")]
    assert "Coaching conversation" in labels
    assert "Modelling" not in labels


def test_the_chart_is_drawn_in_css_pixels_so_phones_do_not_shrink_its_text(
    client_for, school_admin, logged_time
):
    svg = minutes_chart(client_for(school_admin))
    # A viewBox scales everything in it to the screen's width: 16-unit text came out at 7 px
    # on a 390 px phone. Without one, the stylesheet's font size is the size on screen.
    assert "viewbox" not in svg.attrs
    assert svg.attrs["width"] == "100%"
    labels = [text.text for text in svg.find_all("text")]
    assert "Coaching conversation" in labels
    assert "300" in labels


def test_a_screen_reader_hears_every_bar_in_words(client_for, school_admin, logged_time):
    svg = minutes_chart(client_for(school_admin))
    assert svg.attrs["role"] == "img"
    (title,) = svg.find_all("title")
    (desc,) = svg.find_all("desc")
    assert title.attrs["id"] == TITLE
    assert svg.attrs["aria-describedby"] == desc.attrs["id"]
    assert title.text == "Coaching minutes by kind of activity"
    assert "Coaching conversation: 300 minutes; Observation: 150 minutes;" in desc.text
    assert "Non-coaching duty: 30 minutes" in desc.text


def test_the_non_coaching_bar_stands_out(client_for, school_admin, logged_time):
    svg = minutes_chart(client_for(school_admin))
    warned = [
        kind for kind, r in zip(KINDS, bars(svg), strict=True) if "bar-warning" in r.classes()
    ]
    assert warned == ["Non-coaching duty"]
