import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command

from coaching.models import NextStep

# Every test reads, or seeds again, the demo seeded once for the module (`demo_once`,
# tests/conftest.py, with the password "pw-for-tests"): a second run must change nothing.
pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "coach@example.org": "/coach/",
    "teacher@example.org": "/teacher/",
    "principal@example.org": "/school/",
    "district@example.org": "/district/",
}


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "axes"}
    }


def test_running_it_twice_creates_nothing_twice(demo_once):
    first = row_counts()
    call_command("seed_demo", password="pw-for-tests")
    assert row_counts() == first
    assert first["accounts.User"] >= 27


def test_it_seeds_enough_people_for_reports(demo_once, django_user_model):
    teachers = django_user_model.objects.filter(memberships__role="teacher").distinct()
    coaches = django_user_model.objects.filter(memberships__role="coach").distinct()
    assert teachers.count() >= 21
    assert coaches.count() >= 3
    assert teachers.filter(memberships__school__name="Hillcrest Middle School").count() >= 10


@pytest.mark.parametrize(("email", "home"), DEMO_ACCOUNTS.items())
def test_each_demo_account_signs_in_and_lands_on_its_home(demo_once, client, email, home):
    response = client.post("/accounts/sign-in/", {"username": email, "password": "pw-for-tests"})
    assert response.status_code == 302
    if home in ("/school/", "/district/"):
        # Administrators take the second step, with the code README tells how to get.
        assert client.get("/")["Location"].startswith("/accounts/two-step/")
        code = io.StringIO()
        call_command("two_step_code", email, stdout=code)
        client.post("/accounts/two-step/", {"code": code.getvalue().strip()})
    assert client.get("/")["Location"] == home
    assert client.get(home).status_code == 200


def test_the_password_comes_from_demo_password(demo_once, client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")
    call_command("seed_demo")
    response = client.post(
        "/accounts/sign-in/",
        {"username": "teacher@example.org", "password": "from-the-environment"},
    )
    assert response.status_code == 302


def test_the_demo_has_one_report_release_however_often_it_is_seeded(demo_once):
    from reports.models import ReportRelease

    call_command("seed_demo", password="pw-for-tests")
    assert ReportRelease.objects.count() == 1


def test_the_administrators_pages_work_for_the_demo_accounts(demo_once, client):
    for email, pages in {
        "principal@example.org": ["/school/", "/people/", "/people/import/"],
        "district@example.org": ["/district/", "/people/", "/library/"],
    }.items():
        client.post("/accounts/sign-in/", {"username": email, "password": "pw-for-tests"})
        code = io.StringIO()
        call_command("two_step_code", email, stdout=code)
        client.post("/accounts/two-step/", {"code": code.getvalue().strip()})
        for page in pages:
            assert client.get(page).status_code == 200, (email, page)
        figures_page = client.get(pages[0])
        scope = figures_page.context.get("school") or figures_page.context["district"]
        kind = "schools" if "school" in figures_page.context else "districts"
        export = client.get(f"/reports/{kind}/{scope.pk}/export.csv")
        assert export.status_code == 200
        assert b"Teachers taking part" in export.content
        client.post("/accounts/sign-out/")


def test_no_two_next_steps_read_the_same(demo_once):
    texts = Counter(NextStep.objects.values_list("text", flat=True))
    assert texts
    assert [text for text, times in texts.items() if times > 1] == []


def test_the_demo_coach_has_phrases_to_tap_into_feedback(demo_once, client):
    client.post("/accounts/sign-in/", {"username": "coach@example.org", "password": "pw-for-tests"})
    page = client.get("/comment-bank/").text
    assert "Try a turn-and-talk before the first hands go up." in page
