"""A report page shows nothing its CSV export does not: the auditor reads the exports, so
every figure of every page must be one of them."""

import csv
import io
import re
from collections import Counter

import pytest
from django.test import Client

from accounts.models import District, School, User
from tests import factories
from tests.reports.markup import parse

pytestmark = pytest.mark.django_db


def page_figures(html):
    """Every figure in the page's tables and headline cards, as printed."""
    page = parse(html)
    cells = [td.text.strip() for td in page.find_all("td")]
    cells += [p.text.strip() for p in page.find_all("p") if "display-6" in p.classes()]
    found = Counter()
    for text in cells:
        for part in text.split(" / "):
            part = re.sub(r"( points|%)$", "", part.strip())
            if part and part != "—":
                found[part] += 1
    return found


def export_figures(response):
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {row["value"] if row["status"] == "shown" else "hidden" for row in rows}


@pytest.mark.parametrize(
    ("email", "page"),
    [("principal@example.org", "school"), ("district@example.org", "district")],
)
def test_every_figure_a_report_page_prints_is_in_its_export(demo_once, email, page):
    person = User.objects.get(email=email)
    client = factories.sign_in(Client(), person)
    if page == "school":
        pk = School.objects.get(memberships__user=person).pk
        url = f"/reports/schools/{pk}/"
    else:
        url = f"/reports/districts/{District.objects.get().pk}/"
    printed = page_figures(client.get(url).text)
    exported = export_figures(client.get(url + "export.csv"))
    assert "hidden" in printed
    assert sum(printed.values()) > 40
    assert set(printed) <= exported, set(printed) - exported
