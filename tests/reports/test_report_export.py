"""The report's CSV export: one tidy table a spreadsheet opens cleanly, holding exactly the
figures the page shows and no more."""

import codecs

import pytest

pytestmark = pytest.mark.django_db


def test_the_export_starts_with_a_utf8_byte_order_mark(client_for, school_admin, school):
    export = client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv")
    # Without it, Excel reads the file as the machine's legacy code page and garbles "—".
    assert export.content.startswith(codecs.BOM_UTF8)
    assert export["Content-Type"] == "text/csv; charset=utf-8"
