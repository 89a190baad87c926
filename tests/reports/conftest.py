import datetime

import pytest

from tests import factories


@pytest.fixture
def year_terms(district, today):
    """One term, begun 80 days ago, that the report's "this term" falls in."""
    factories.TermFactory(
        district=district,
        name="This term",
        starts_on=today - datetime.timedelta(days=80),
        ends_on=today + datetime.timedelta(days=30),
    )
