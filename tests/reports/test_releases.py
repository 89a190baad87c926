"""Releases: made at set times for a whole district, never on demand, and a term's figures
the same in every release once it has ended."""

import datetime
import zoneinfo

import pytest

from reports import releases
from reports.models import ReleasedFigures, ReportRelease, SealedTerm
from reports.tasks import release_due_reports
from tests.reports.scenarios import closed_cycle, release

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(*args):
    return datetime.datetime(*args, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 22, 23, 30), at(2026, 11, 23, 4)),  # Sunday night: a few hours away
        (at(2026, 11, 23, 3, 59), at(2026, 11, 23, 4)),
        (at(2026, 11, 23, 4, 0), at(2026, 11, 30, 4)),  # the moment itself: next week's
        (at(2026, 11, 25, 12, 0), at(2026, 11, 30, 4)),
        (at(2027, 3, 12, 12, 0), at(2027, 3, 15, 4)),  # across the change to summer time
    ],
)
def test_releases_fall_on_monday_at_four_in_the_districts_time(now, expected):
    assert releases.next_release_after(now, CHICAGO) == expected


def test_the_schedule_releases_each_district_once_until_its_next_time(district, school, clock):
    assert release_due_reports() == 1
    assert release_due_reports() == 0  # a redelivered or doubled task releases nothing
    clock.shift(datetime.timedelta(hours=4))  # Monday 3:30 in Chicago: not yet
    assert release_due_reports() == 0
    clock.shift(datetime.timedelta(hours=1))
    assert release_due_reports() == 1
    assert list(ReportRelease.objects.values_list("number", flat=True)) == [2, 1]


def test_a_release_is_not_made_twice_when_two_workers_try(district, school):
    assert releases.release_district(district) is not None
    assert releases.release_district(district) is None
    assert ReportRelease.objects.count() == 1
    assert ReleasedFigures.objects.count() == 2  # the school's and the district's


def test_a_terms_figures_are_sealed_once_and_never_recounted(
    client_for, school_admin, school, district, report_terms, in_last_term, clock
):
    cycles = [closed_cycle(school, "Instruction", "met", ended_on=in_last_term) for _ in range(6)]
    release(district)
    first = client_for(school_admin).get("/school/").context["report"]["areas"]
    # A cycle of the ended term corrected afterwards: the term's figures stay as released,
    # or the difference between two releases would show the correction.
    cycles[0].outcome = "not_met"
    cycles[0].save()
    clock.shift(datetime.timedelta(days=7))
    release(district)
    assert client_for(school_admin).get("/school/").context["report"]["areas"] == first
    assert SealedTerm.objects.count() == 1


def test_a_figure_once_shown_stays_shown_when_k_is_raised(
    client_for, school_admin, school, district, report_terms, in_last_term, clock, settings
):
    for _ in range(5):
        closed_cycle(school, "Instruction", "met", ended_on=in_last_term)
    release(district)
    settings.REPORT_MIN_GROUP = 6
    clock.shift(datetime.timedelta(days=7))
    release(district)
    report = client_for(school_admin).get("/school/").context["report"]
    assert report["areas"][-1]["closed"] == 5  # readers have it already; hiding it helps no one


def test_a_district_without_schools_or_terms_is_released_empty(district):
    made = releases.release_district(district)
    figures = ReleasedFigures.objects.get(release=made, school=None).figures
    assert figures["terms"] == []
    assert figures["schools"] == []


def test_only_the_two_newest_releases_are_kept(district, school, clock):
    for _ in range(4):
        release(district)
        clock.shift(datetime.timedelta(days=7))
    assert list(ReportRelease.objects.values_list("number", flat=True)) == [4, 3]


def test_a_coachs_row_stays_as_first_released_when_k_is_raised(
    client_for, school_admin, school, district, report_terms, in_last_term, clock, settings
):
    from tests import factories

    coach = factories.coach_at(school, user__full_name="Kenji Ito")
    for _ in range(5):
        partnership = factories.PartnershipFactory(school=school, coach=coach)
        factories.ActivityEntryFactory(
            coach=coach, school=school, partnership=partnership, date=in_last_term
        )
    release(district)
    settings.REPORT_MIN_GROUP = 6
    clock.shift(datetime.timedelta(days=7))
    release(district)
    rows = client_for(school_admin).get("/school/").context["report"]["minutes"]["rows"]
    assert [row["name"] for row in rows] == ["Kenji Ito"]
