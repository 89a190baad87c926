"""Report periods: this term, last term, this school year. Dates go no finer than these."""

import datetime
from dataclasses import dataclass

from accounts.models import Term

PERIODS = {"this_term": "This term", "last_term": "Last term", "this_year": "This school year"}


@dataclass(frozen=True)
class Period:
    key: str
    heading: str
    start: datetime.date
    end: datetime.date


def school_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    return first, datetime.date(first.year + 1, 7, 31)


def period_for(key: str, terms: list[Term], today: datetime.date) -> Period:
    """The period `key` names, from the district's terms. Unknown keys mean this term."""
    key = key if key in PERIODS else "this_term"
    if key == "this_year" or not terms:
        start, end = school_year_of(today)
        return Period("this_year", PERIODS["this_year"], start, end)
    started = [t for t in terms if t.starts_on <= today] or terms[:1]
    current = started[-1]
    if key == "last_term":
        index = terms.index(current)
        if index == 0:
            return Period(key, PERIODS[key] + " (none yet)", current.starts_on, current.starts_on)
        current = terms[index - 1]
    return Period(key, f"{PERIODS[key]}: {current.name}", current.starts_on, current.ends_on)
