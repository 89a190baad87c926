"""The principal's report export, word for word, in each language (golden texts, as
tests/site/test_golden_texts.py keeps them): the demo school's figures, hidden ones
included, with the column, figure and unit names in the reader's language."""

import pytest
from django.test import Client

from accounts.models import School, User
from tests import factories
from tests.site.test_golden_texts import LANGUAGES, assert_golden, reads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_school_report_export(demo_once, lang):
    principal = reads(User.objects.get(email="principal@example.org"), lang)
    school = School.objects.get(memberships__user=principal)
    response = factories.sign_in(Client(), principal).get(
        f"/reports/schools/{school.pk}/export.csv"
    )
    assert response.status_code == 200
    assert_golden("report-school.csv", lang, response.content.decode("utf-8-sig"))
