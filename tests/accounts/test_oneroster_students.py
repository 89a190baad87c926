"""Whatever a package holds about students, guardians, demographics, results and passwords,
none of it reaches Tandem's database: every text column of every table is searched."""

import io

import pytest
from django.apps import apps
from django.db import models

from accounts.oneroster.services import roster_package_import, roster_package_preview
from tests.support.oneroster import DEMOGRAPHIC_COLUMNS, small_district, table

pytestmark = pytest.mark.django_db

CANARY = "Zyxwarbler"  # in every cell of every row Tandem must never keep


def full_of_students():
    roster = small_district()
    # The staff's password column, which is never read.
    for user in roster.users:
        user["password"] = f"{CANARY}-password"
    for n in range(5):
        roster.user(
            f"{CANARY}-stu-{n}",
            f"{CANARY}Given{n}",
            f"{CANARY}Family{n}",
            f"{CANARY.lower()}{n}@students.example",
            password=f"{CANARY}-secret",
            grades="05",
            phone=f"{CANARY}-555",
            userMasterIdentifier=f"{CANARY}-master",
            agentSourcedIds=f"{CANARY}-guardian",
            pronouns=f"{CANARY}-pronouns",
        )
        roster.role(f"{CANARY}-role-{n}", f"{CANARY}-stu-{n}", "student", "s-elem")
    roster.user(f"{CANARY}-guardian", f"{CANARY}Parent", "Person", f"{CANARY}p@home.example")
    roster.role(f"{CANARY}-grole", f"{CANARY}-guardian", "guardian", "s-elem")
    # A role that is a student's, of a user that does not even exist: not looked at.
    roster.role(f"{CANARY}-ghost", f"{CANARY}-nobody", "student", f"{CANARY}-nowhere")
    demographics = table(
        DEMOGRAPHIC_COLUMNS,
        [{c: f"{CANARY}-{c}" for c in DEMOGRAPHIC_COLUMNS} for _ in range(3)],
    )
    results = table(
        ["sourcedId", "status", "score", "comment"], [[f"{CANARY}-r", "", "99", CANARY]]
    )
    enrollments = table(
        ["sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"],
        [[f"{CANARY}-e", f"{CANARY}-class", "s-elem", f"{CANARY}-stu-1", "student"]],
    )
    roster.extra = {
        "demographics.csv": demographics,
        "results.csv": results,
        "enrollments.csv": enrollments,
        "classes.csv": f"sourcedId,title\r\n{CANARY}-class,{CANARY} maths\r\n",
    }
    return roster


def stored_text():
    """Every value of every text, JSON and binary column of every table."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            for value in row:
                text = (
                    bytes(value).decode("latin-1")
                    if isinstance(value, (bytes, memoryview))
                    else str(value)
                )
                yield model._meta.label, text


def test_nothing_of_students_guardians_demographics_results_or_passwords_is_stored(district):
    data = full_of_students().zip()
    record, plan = roster_package_import(
        actor=None,
        district=district,
        upload=io.BytesIO(data),
        file_name="sis.zip",
        source="command",
    )
    assert record.status == "applied", [str(r) for r in plan.refusals]
    # And a preview left waiting for "Apply", whose staff extract is kept meanwhile.
    waiting, _ = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(data), file_name="sis.zip"
    )
    assert waiting.extract is not None
    found = [(label, text[:60]) for label, text in stored_text() if CANARY.lower() in text.lower()]
    assert found == []
    # The staff themselves are there: the search above did look at the right places.
    assert any("ada@riverside.example" in text for _, text in stored_text())


def test_a_student_row_is_passed_over_unread_even_when_it_is_malformed(district):
    roster = full_of_students()
    roster.users[-1]["email"] = "not an address"
    roster.users[-1]["enabledUser"] = "perhaps"
    roster.users[-1]["givenName"] = "\u202e" + CANARY
    _, plan = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(roster.zip()), file_name="sis.zip"
    )
    assert plan.refusals == []
