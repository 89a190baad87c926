"""The teachers' answers about coaching in the reports: counts of a term's groups, under
the same protection as every other figure, and never a comment."""

import pytest

from reports.counts import term_counts
from tests import factories
from tests.reports import scenarios
from tests.reports.test_report_auditor import audit

pytestmark = pytest.mark.django_db
DAY = scenarios.DAY


def groups_in_both_schools(school, other_school, ended):
    # At the school, one "no" among five: a figure about one teacher.
    scenarios.voice_group(
        school, [("yes", "yes", "yes")] * 4 + [("no", "partly", "yes")], closed_on=ended
    )
    scenarios.voice_group(
        other_school,
        [("yes", "yes", "yes")] * 5 + [("partly", "yes", "partly")] * 2,
        closed_on=ended,
    )


def test_the_report_shows_the_terms_answers_and_hides_what_few_said(
    client_for, district, school, other_school, district_admin, today
):
    last, _ = scenarios.terms(district, today)
    groups_in_both_schools(school, other_school, last.ends_on - 3 * DAY)
    scenarios.release(district)
    client = client_for(district_admin)
    page = client.get(f"/reports/schools/{school.pk}/?term=t{last.pk}").content.decode()
    assert "What teachers said about the coaching" in page
    csv = client.get(f"/reports/schools/{school.pk}/export.csv?term=t{last.pk}").content.decode()
    rows = {
        (row[3], row[4]): (row[5], row[7])
        for row in (line.split(",") for line in csv.splitlines())
        if "answers about coaching" in row[1]
    }
    # Everyone would work with a coach again: five of five, said by five teachers.
    assert rows[("Would you work with a coach again?", "Yes")] == ("5", "shown")
    # One teacher's "no" is not shown, and neither is what would give it away.
    assert rows[("Was the coaching useful to you?", "No")] == ("", "hidden")
    assert rows[("Was the coaching useful to you?", "Yes")] == ("", "hidden")
    # Comments are the coach's and their lead's: never in a report, page or export.
    texts = scenarios.exports(client, district, [school, other_school])
    for body in [page, *(text for text, _ in texts)]:
        assert "CANARY-VOICE" not in body


def test_nothing_hidden_in_the_answers_can_be_worked_out(
    client_for, district, school, other_school, district_admin, today, clock
):
    last, _ = scenarios.terms(district, today)
    groups_in_both_schools(school, other_school, last.ends_on - 3 * DAY)
    scenarios.release(district)
    texts = scenarios.exports(client_for(district_admin), district, [school, other_school])
    clock.shift(7 * DAY)
    scenarios.voice_group(school, [("yes", "yes", "yes")] * 5, closed_on=today)
    scenarios.release(district)
    texts += scenarios.exports(client_for(district_admin), district, [school, other_school])
    findings, auditor = audit(texts)
    assert any(identity[1] == "Teachers' answers about coaching" for identity in auditor.hidden)
    assert findings == []


def test_the_auditor_reads_the_answers_sums(
    client_for, district, school, other_school, district_admin, today, monkeypatch
):
    # Hiding only the small figures, "No" is the total less the rest: the auditor sees it.
    monkeypatch.setattr("reports.protection.exposed_cells", lambda *args, **kwargs: [])
    last, _ = scenarios.terms(district, today)
    groups_in_both_schools(school, other_school, last.ends_on - 3 * DAY)
    scenarios.release(district)
    texts = scenarios.exports(client_for(district_admin), district, [school, other_school])
    findings, _ = audit(texts)
    assert "Teachers' answers about coaching" in {finding.figure[1] for finding in findings}


def test_a_figure_is_about_the_fewest_teachers_who_could_have_given_it(district, school, today):
    last, _ = scenarios.terms(district, today)
    ended = last.ends_on - 3 * DAY
    # The same five teachers answered in two groups of their coach's: ten "yes" answers
    # about useful may be theirs alone, so the figure is about five teachers, not ten.
    teachers = [factories.teacher_at(school) for _ in range(5)]
    coach = factories.coach_at(school)
    for _ in range(2):
        scenarios.voice_group(
            school, [("yes", "yes", "no")] * 5, closed_on=ended, coach=coach, teachers=teachers
        )
    counted = term_counts(
        school.pk, after=last.starts_on, through=last.ends_on, term=last, using="default"
    )["cells"]
    value, about = counted["voice|useful|yes"]
    assert value == 10
    assert len(about) == 5
