"""Report tables on a narrow screen: each scrolls sideways inside its card, in a container
a keyboard can reach and a screen reader can name, instead of being cut off."""

import pytest

from tests.reports.markup import parse
from tests.reports.scenarios import closed_cycle, release

pytestmark = pytest.mark.django_db


def scroll_containers(html):
    page = parse(html)
    tables = list(page.find_all("table"))
    assert tables
    for table in tables:
        yield table, next((a for a in table.ancestors() if "table-scroll" in a.classes()), None)


def headings(html):
    page = parse(html)
    found = [*page.find_all("h2"), *page.find_all("h3"), *page.find_all("caption")]
    return {h.attrs["id"]: h.text for h in found if "id" in h.attrs}


@pytest.mark.parametrize(
    ("person", "url"), [("school_admin", "/school/"), ("district_admin", "/district/")]
)
def test_every_report_table_scrolls_in_a_named_focusable_container(
    request, client_for, person, url, school, district, report_terms, in_last_term
):
    closed_cycle(school, ended_on=in_last_term)
    release(district)
    html = client_for(request.getfixturevalue(person)).get(url).text
    names = headings(html)
    for table, container in scroll_containers(html):
        assert container is not None, "a table outside a scroll container is cut off on a phone"
        assert container is table.parent
        # Focusable, so a keyboard can scroll it; a region named after the table's heading,
        # so a screen reader says what the focus landed on.
        assert container.attrs["tabindex"] == "0"
        assert container.attrs["role"] == "region"
        assert container.attrs["aria-labelledby"] in names
