import pytest

from tests.reports import scenarios


@pytest.fixture
def report_terms(district, today):
    """Spring 2026, which ended forty days ago, and Fall 2026, running now."""
    return scenarios.terms(district, today)


@pytest.fixture
def last_term(report_terms):
    return report_terms[0]


@pytest.fixture
def in_last_term(last_term):
    """A day in the term that has ended: what is dated then is in the released figures."""
    return last_term.ends_on - scenarios.DAY * 10
