"""The reports' promise, checked by an outsider: an auditor with an integer-programming
solver reads every export every administrator of a district can download, over two
consecutive releases, and works out no hidden figure."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import District, School, User
from reports import releases
from tests import factories
from tests.reports import scenarios
from tests.reports.auditor import ALL_AREAS, IMPACT_COUNTS, Audit

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def audit(texts):
    auditor = Audit()
    for text, is_district in texts:
        auditor.read(text, district=is_district)
    return auditor.findings(), auditor


def small_groups(school, other_school, last_term_end):
    """Two schools where most groups are small: a few teachers in each focus area, one
    coach with a single teacher, cycles under way in every phase."""
    ended = last_term_end - 10 * scenarios.DAY
    plan = [
        (school, "Instruction", ["met"] * 4 + ["partly_met", "not_met"]),
        (school, "Formative assessment", ["met", "met", "stopped"]),
        (school, "Community building", ["not_met"]),
        (other_school, "Instruction", ["met", "met", "met", "partly_met", "met"]),
        (other_school, "Content planning", ["met", "not_met"]),
    ]
    for where, area, outcomes in plan:
        for outcome in outcomes:
            scenarios.closed_cycle(where, area, outcome, ended_on=ended, evidence=(8, 15))
    lone = factories.coach_at(other_school, user__full_name="Maya Okafor")
    partnership = factories.PartnershipFactory(school=other_school, coach=lone)
    factories.ActivityEntryFactory(
        coach=lone, school=other_school, partnership=partnership, date=ended, minutes=70
    )
    for phase, count in [("identify", 2), ("learn", 5), ("improve", 1)]:
        for _ in range(count):
            scenarios.running_cycle(school, phase)
    for phase in ("learn", "learn", "learn", "learn"):
        scenarios.running_cycle(other_school, phase)


def test_nothing_hidden_can_be_worked_out_in_a_district_of_small_groups(
    client_for, district, school, other_school, district_admin, today, clock
):
    last, _ = scenarios.terms(district, today)
    small_groups(school, other_school, last.ends_on)
    scenarios.release(district)
    client = client_for(district_admin)
    texts = scenarios.exports(client, district, [school, other_school])
    # A week on, more has happened, and a second release is read beside the first.
    scenarios.closed_cycle(school, "Instruction", "not_met")
    scenarios.running_cycle(other_school, "improve")
    clock.shift(WEEK)
    scenarios.release(district)
    client = client_for(district_admin)  # a week idle signs anyone out
    texts += scenarios.exports(client, district, [school, other_school])

    findings, auditor = audit(texts)
    assert auditor.hidden, "the scenario must hide something for the audit to mean anything"
    assert findings == []


def test_nothing_hidden_can_be_worked_out_in_the_demo_over_two_releases(clock):
    call_command("seed_demo", password="pw-for-tests")
    district = District.objects.get()
    schools = list(School.objects.order_by("name"))
    client = factories.sign_in(Client(), User.objects.get(email="district@example.org"))
    texts = scenarios.exports(client, district, schools)
    clock.shift(WEEK)
    assert releases.release_due_districts() == 1
    client = factories.sign_in(Client(), User.objects.get(email="district@example.org"))
    texts += scenarios.exports(client, district, schools)
    # What the principals read is part of what the district's administrators read.
    principal = factories.sign_in(Client(), User.objects.get(email="principal@example.org"))
    texts += scenarios.exports(principal, district, schools[1:], as_district=False)

    findings, auditor = audit(texts)
    assert auditor.hidden
    assert findings == []


def test_the_auditor_finds_what_hiding_small_figures_alone_would_give_away(
    client_for, district, school, other_school, district_admin, today, monkeypatch
):
    # Without complements, the same district gives hidden figures back: the auditor sees it.
    monkeypatch.setattr("reports.protection.exposed_cells", lambda *args, **kwargs: [])
    last, _ = scenarios.terms(district, today)
    small_groups(school, other_school, last.ends_on)
    scenarios.release(district)
    texts = scenarios.exports(client_for(district_admin), district, [school, other_school])
    findings, _ = audit(texts)
    assert findings
    worked_out = {finding.figure[1] for finding in findings}
    assert "Cycles closed" in worked_out


def test_the_auditor_knows_a_focus_area_with_no_cycle_closed_has_no_students():
    # Area A's row is small and hidden; beside it area B's row, which no cycle closed in,
    # is hidden too. B's students are plainly none, so A's are the total less C's.
    auditor = Audit()
    rows = {"A": (3, 60), "B": (0, 0), "C": (10, 200), ALL_AREAS: (13, 260)}
    for area, (cycles, students) in rows.items():
        auditor.shown[("s", "Cycles closed", "t1", area, "Total")] = cycles
        for name in IMPACT_COUNTS:
            figure = ("s", "Impact", "t1", area, name)
            value = cycles if name.startswith("Cycles") else students
            if area in ("A", "B"):
                auditor.hidden.add(figure)
            else:
                auditor.shown[figure] = value
    findings = auditor.findings()
    found = {(f.figure[3], f.figure[4]): f.low for f in findings}
    assert found[("A", "Students assessed before")] == 60
    assert ("B", "Students assessed before") not in found  # a zero that says nothing
