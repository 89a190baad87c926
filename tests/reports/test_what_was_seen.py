"""Issue 20, "What was seen": an administrator who wanted one teacher's result read every
report and export and did arithmetic across them. Each way in, closed."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import School, User
from reports import releases
from tests import factories
from tests.reports import scenarios
from tests.reports.scenarios import closed_cycle, release, running_cycle

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def figures(client, url):
    """{(scope, figure, period, breakdown, category): value or "hidden"} of an export."""
    found = {}
    for row in rows(client.get(url)):
        if row["status"] == "no figure":
            continue
        key = (row["scope"], row["figure"], row["term"], row["breakdown"], row["category"])
        found[key] = row["value"] if row["status"] == "shown" else "hidden"
    return found


# 1. Most hidden figures came back ----------------------------------------------------


def test_a_zero_beside_a_small_group_is_not_printed_as_zero(
    client_for, school_admin, school, district, report_terms, in_last_term
):
    # Two teachers in Community building, both "not met"; eight in Instruction.
    for _ in range(2):
        closed_cycle(school, "Community building", "not_met", ended_on=in_last_term)
    for outcome in ["met"] * 5 + ["partly_met"] * 3:
        closed_cycle(school, "Instruction", outcome, ended_on=in_last_term)
    release(district)
    seen = figures(client_for(school_admin), f"/reports/schools/{school.pk}/export.csv")
    community = {
        category: value
        for (_, figure, _, breakdown, category), value in seen.items()
        if figure == "Cycles closed" and breakdown == "Community building"
    }
    # "0 met, 0 partly met, 0 stopped" would tell how both ended.
    assert set(community.values()) == {"hidden"}


def test_a_share_is_printed_only_beside_both_figures_it_is_made_of(
    client_for, school_admin, school, district, report_terms, in_last_term, settings
):
    settings.REPORT_MIN_GROUP = 3
    # Seven of ten met: a shown 70% of a shown 10 would give the hidden 7 back.
    for outcome in ["met"] * 7 + ["not_met"] * 2 + ["stopped"]:
        closed_cycle(school, "Instruction", outcome, ended_on=in_last_term)
    closed_cycle(school, "Formative assessment", "met", ended_on=in_last_term)
    release(district)
    seen = figures(client_for(school_admin), f"/reports/schools/{school.pk}/export.csv")
    for (scope, figure, period, breakdown, _), value in seen.items():
        if figure == "Goals met, share of cycles closed" and value != "hidden":
            assert seen[(scope, "Cycles closed", period, breakdown, "Goal met")] != "hidden"
            assert seen[(scope, "Cycles closed", period, breakdown, "Total")] != "hidden"


def test_the_district_minus_one_school_does_not_give_the_other(
    client_for, district_admin, school, other_school, district, report_terms
):
    for _ in range(5):
        running_cycle(school, "learn")
    for _ in range(4):
        running_cycle(other_school, "learn")
    release(district)
    client = client_for(district_admin)
    seen = figures(client, f"/reports/districts/{district.pk}/export.csv")
    seen |= figures(client, f"/reports/schools/{school.pk}/export.csv")
    seen |= figures(client, f"/reports/schools/{other_school.pk}/export.csv")

    def learn(scope):
        return seen[(scope, "Active cycles", "now", "Learn", "")]

    assert learn(other_school.name) == "hidden"
    assert "hidden" in (learn(district.name), learn(school.name)), "9 − 5 would give 4"


def test_trend_rows_are_the_term_tables_own_figures(
    client_for, school_admin, school, district, report_terms, in_last_term
):
    for outcome in ["met"] * 6 + ["not_met"] * 5:
        closed_cycle(school, "Instruction", outcome, ended_on=in_last_term)
    release(district)
    report = client_for(school_admin).get("/school/").context["report"]
    (trend,) = report["trends"]
    whole = report["areas"][-1]
    assert (trend["closed"], trend["met"], trend["part"]) == (whole["closed"], whole["met"],
                                                              report["part"])  # fmt: skip


# 2. "This school year" minus "This term" ----------------------------------------------


def test_no_period_offered_holds_another(client_for, school_admin, district, today):
    year = today.year if today.month >= 8 else today.year - 1
    for name, starts, ends in [
        ("Fall 2025", datetime.date(year - 1, 8, 18), datetime.date(year - 1, 12, 19)),
        ("Spring 2026", datetime.date(year, 1, 7), datetime.date(year, 6, 12)),
        ("Fall 2026", datetime.date(year, 8, 17), today + WEEK),
    ]:
        factories.TermFactory(district=district, name=name, starts_on=starts, ends_on=ends)
    release(district)
    offered = [p["name"] for p in client_for(school_admin).get("/school/").context["periods"]]
    assert offered == ["Spring 2026", "Fall 2025"]


def test_a_cycle_closed_between_terms_counts_in_the_next_term(
    client_for, school_admin, school, district, today, settings
):
    settings.REPORT_MIN_GROUP = 3
    first = factories.TermFactory(
        district=district, name="Spring", starts_on=today - 200 * scenarios.DAY,
        ends_on=today - 120 * scenarios.DAY,
    )  # fmt: skip
    second = factories.TermFactory(
        district=district, name="Fall", starts_on=today - 100 * scenarios.DAY,
        ends_on=today - 2 * scenarios.DAY,
    )  # fmt: skip
    between = first.ends_on + 5 * scenarios.DAY  # the summer, before Fall began
    for _ in range(3):
        closed_cycle(school, "Instruction", ended_on=between)
    release(district)
    client = client_for(school_admin)
    fall = client.get(f"/school/?term=t{second.pk}").context["report"]
    spring = client.get(f"/school/?term=t{first.pk}").context["report"]
    assert fall["areas"][-1]["closed"] == 3
    assert spring["areas"][-1]["closed"] == 0


# 3. Before and after "Recompute" ------------------------------------------------------


def test_a_cycle_closing_changes_nothing_an_administrator_reads_until_the_next_release(
    client_for, school_admin, school, district, report_terms, in_last_term, teacher, clock
):
    for outcome in ["met"] * 6:
        closed_cycle(school, "Instruction", outcome, ended_on=in_last_term)
    ben = running_cycle(school, "improve", teacher=teacher)
    for _ in range(6):
        running_cycle(school, "improve")
    release(district)
    client = client_for(school_admin)
    export = f"/reports/schools/{school.pk}/export.csv"

    def reads():
        return client.get("/school/").context["report"], client.get(export).content

    before = reads()
    ben.phase, ben.outcome, ben.ended_on = "closed", "not_met", school.today()
    ben.save()
    assert client.post(f"/reports/schools/{school.pk}/refresh/").status_code == 404
    assert reads() == before

    # The next release counts the cycle out of "Improve"; its focus area and its outcome
    # wait for its term's figures, released with everyone's after the term ends.
    clock.shift(WEEK)
    release(district)
    client = client_for(school_admin)
    after = figures(client, export)
    assert after[(school.name, "Active cycles", "now", "Improve", "")] == "6"
    assert not [key for key in after if key[2] == "Fall 2026"]


# 4. Coaches' minutes name a teacher's coaching ----------------------------------------


def test_a_coach_with_fewer_than_k_teachers_has_no_row_of_their_own(
    client_for, school_admin, school, district, report_terms, in_last_term
):
    def coach_with(name, teachers, minutes):
        coach = factories.coach_at(school, user__full_name=name)
        for _ in range(teachers):
            partnership = factories.PartnershipFactory(
                school=school, coach=coach, started_on=in_last_term
            )
            for each in minutes:
                factories.ActivityEntryFactory(
                    coach=coach, school=school, partnership=partnership, date=in_last_term,
                    minutes=each,
                )  # fmt: skip

    coach_with("Maya Okafor", 1, (70, 140, 210))  # all of it about one teacher
    coach_with("Kenji Ito", 6, (45,))
    coach_with("Lena Novak", 8, (30,))
    release(district)
    client = client_for(school_admin)
    page = client.get("/school/").text
    export = client.get(f"/reports/schools/{school.pk}/export.csv").content.decode()
    assert "Lena Novak" in page
    assert "Lena Novak" in export
    assert "Maya Okafor" not in page
    assert "Maya Okafor" not in export
    seen = figures(client, f"/reports/schools/{school.pk}/export.csv")
    minutes = {k[3]: v for k, v in seen.items() if k[1] == "Coaching minutes" and k[4] == "Total"}
    # Her minutes join the smallest named coach's in "Other coaches": no row is hers alone.
    assert "420" not in minutes.values()
    assert minutes == {"Lena Novak": "240", "Other coaches": "690", "All coaches": "930"}


# 5. Two versions at once ---------------------------------------------------------------


def test_the_principal_and_the_district_administrator_read_the_same_figures(
    client, school_admin, district_admin, school, other_school, district, report_terms,
    in_last_term, clock,
):  # fmt: skip
    for outcome in ["met"] * 8 + ["not_met"] * 5:
        closed_cycle(school, "Instruction", outcome, ended_on=in_last_term)
    for _ in range(7):
        running_cycle(school, "learn")
    release(district)
    for _ in range(2):
        # Records change between releases, as they do all week.
        closed_cycle(school, "Instruction", "met")
        running_cycle(school, "identify")
        principal = figures(
            factories.sign_in(Client(), school_admin), f"/reports/schools/{school.pk}/export.csv"
        )
        district_reads = factories.sign_in(Client(), district_admin)
        of_school = figures(district_reads, f"/reports/schools/{school.pk}/export.csv")
        side_by_side = figures(district_reads, f"/reports/districts/{district.pk}/export.csv")
        assert principal == of_school
        for key, value in side_by_side.items():
            if key[0] == school.name:
                assert principal[key] == value, key
        clock.shift(WEEK)
        release(district)


# 6. A wall of "fewer than 5" ------------------------------------------------------------


def test_the_demo_reports_show_what_a_principal_needs():
    call_command("seed_demo", password="pw-for-tests")
    for email in ("principal@example.org", "principal.hillcrest@example.org"):
        principal = User.objects.get(email=email)
        school = School.objects.get(memberships__user=principal)
        client = factories.sign_in(Client(), principal)
        report = client.get("/school/").context["report"]
        headline = [
            report["now"]["part"],
            report["now"]["share"],
            *(phase["value"] for phase in report["now"]["phases"]),
            report["part"],
            report["median_days"],
            report["areas"][-1]["met_rate"],
            report["outcomes"][0]["value"],
            report["impact"][-1]["before"],
            report["impact"][-1]["after"],
            report["minutes"]["grand"],
            report["minutes"]["non_coaching_share"],
            *(row["met_rate"] for row in report["trends"]),
        ]
        assert all(isinstance(value, int) for value in headline), headline
        assert [row["name"] for row in report["areas"] if isinstance(row["met_rate"], int)][:-1]
        seen = figures(client, f"/reports/schools/{school.pk}/export.csv")
        # …and the protection is at work: the demo's small group stays hidden.
        assert "hidden" in seen.values()
    assert releases.latest(school.district_id) is not None
