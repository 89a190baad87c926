"""A teacher takes everything about them away: a ZIP with a printable portfolio, JSON and CSV,
built by a task, kept for a day, and holding nothing that was never theirs to read."""

import csv
import datetime
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from observations.models import AccessEvent, SeatMap
from records import services
from records.models import Export
from records.tasks import build_export, forget_old_exports
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(school, coach, teacher, colleague):
    """A team partnership of `teacher` and `colleague`, with records of both, each field a
    canary: MINE-… are the teacher's to take away, THEIRS-… never."""
    partnership = factories.PartnershipFactory(
        school=school, coach=coach, teachers=[teacher, colleague], title="Grade 3 team"
    )
    goal = factories.GoalFactory(
        cycle__partnership=partnership,
        cycle__title="CANARY-MINE-CYCLE-1",
        statement="CANARY-MINE-GOAL-2",
    )
    cycle = goal.cycle
    factories.ProgressPointFactory(goal=goal, note="CANARY-MINE-PROGRESS-3")
    both = factories.ObservationFactory(
        cycle=cycle, status="shared", teachers=[teacher, colleague],
        strengths="CANARY-MINE-STRENGTHS-4", wonderings="CANARY-MINE-WONDERINGS-5",
    )  # fmt: skip
    factories.ObservationNoteFactory(observation=both, text="CANARY-MINE-NOTE-6")
    both.tallies.create(label="CANARY-MINE-TALLY-7", count=4)
    both.responses.create(teacher=teacher, text="CANARY-MINE-ANSWER-8")
    both.responses.create(teacher=colleague, text="CANARY-THEIRS-ANSWER-1")
    look_for = factories.ChosenLookForFactory(
        observation=both, description="CANARY-MINE-LOOKFOR-12", chosen_by=teacher
    )
    factories.ObservationNoteFactory(
        observation=both, text="CANARY-MINE-TAGGED-13", look_for=look_for
    )
    factories.seat_map_for(both, taps=[(0, 0), (0, 0), (1, 2)])
    SeatMap.objects.filter(observation=both).update(name="CANARY-MINE-SEATS-14")
    only_theirs = factories.ObservationFactory(
        cycle=cycle, status="shared", teachers=[colleague], strengths="CANARY-THEIRS-OBS-2"
    )
    factories.ObservationNoteFactory(observation=only_theirs, text="CANARY-THEIRS-NOTE-3")
    factories.ChosenLookForFactory(observation=only_theirs, description="CANARY-THEIRS-LOOKFOR-10")
    factories.ObservationFactory(
        cycle=cycle, teachers=[teacher], strengths="CANARY-THEIRS-DRAFT-4"
    )  # a draft the coach never shared
    factories.ReflectionFactory(
        cycle=cycle, author=teacher, visibility="private", text="CANARY-MINE-REFLECTION-9"
    )
    factories.ReflectionFactory(
        cycle=cycle, author=colleague, visibility="private", text="CANARY-THEIRS-PRIVATE-5"
    )
    factories.ReflectionFactory(
        cycle=cycle, author=coach, visibility="private", text="CANARY-THEIRS-COACH-6"
    )
    factories.CoachNoteFactory(partnership=partnership, coach=coach, text="CANARY-THEIRS-NOTE-7")
    factories.MeetingFactory(partnership=partnership, agenda="CANARY-MINE-AGENDA-10")
    factories.NextStepFactory(partnership=partnership, text="CANARY-MINE-STEP-11")
    # Another partnership of the same coach, with another teacher: none of the teacher's.
    elsewhere = factories.GoalFactory(
        cycle__partnership__school=school,
        cycle__partnership__coach=coach,
        statement="CANARY-THEIRS-GOAL-8",
    )
    factories.ObservationFactory(
        cycle=elsewhere.cycle, status="shared", strengths="CANARY-THEIRS-OBS-9"
    )
    return partnership


def export_for(client, capture):
    """Ask for the export on the page, as the teacher does; return the unzipped files."""
    with capture(execute=True):  # the task runs once the request's transaction commits
        assert client.post("/my-records/export/").url == "/my-records/"
    response = client.get("/my-records/")
    link = re.search(r'href="(/my-records/[0-9a-f-]+/tandem-records\.zip)"', response.text)
    assert link, "the page offers the download once it is ready"
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    return {
        name.split("/", 1)[1]: archive.read(name).decode("utf-8-sig") for name in archive.namelist()
    }


def test_the_export_holds_the_teachers_records_and_nothing_that_was_never_theirs(
    client_for, teacher, team, django_capture_on_commit_callbacks
):
    files = export_for(client_for(teacher), django_capture_on_commit_callbacks)
    assert set(files) == {
        "README.txt", "portfolio.html", "records.json", "records.schema.json",
        "csv/partnerships.csv", "csv/cycles.csv",
        "csv/evidence.csv", "csv/progress.csv", "csv/observations.csv",
        "csv/observation_notes.csv", "csv/tallies.csv", "csv/reflections.csv",
        "csv/meetings.csv", "csv/next_steps.csv", "csv/look_fors.csv", "csv/seat_taps.csv",
        "csv/videos.csv", "csv/video_comments.csv",
    }  # fmt: skip
    everything = "\n".join(files.values())
    found = set(re.findall(r"CANARY-[A-Z]+-[A-Z]+-\d+", everything))
    assert {c for c in found if "THEIRS" in c} == set()
    assert found == {f"CANARY-MINE-{k}" for k in (
        "CYCLE-1", "GOAL-2", "PROGRESS-3", "STRENGTHS-4", "WONDERINGS-5", "NOTE-6", "TALLY-7",
        "ANSWER-8", "REFLECTION-9", "AGENDA-10", "STEP-11", "LOOKFOR-12", "TAGGED-13",
        "SEATS-14",
    )}  # fmt: skip
    # Each part carries them: the portfolio, the JSON and the tables.
    for name in ("portfolio.html", "records.json"):
        assert "CANARY-MINE-ANSWER-8" in files[name]
        assert "CANARY-MINE-NOTE-6" in files[name]
    records = json.loads(files["records.json"])
    assert records["person"] == {"name": teacher.full_name, "email": teacher.email}
    (partnership,) = records["partnerships"]
    (cycle,) = partnership["cycles"]
    (observation,) = cycle["observations"]
    assert observation["my_answer"]["text"] == "CANARY-MINE-ANSWER-8"
    assert observation["tallies"] == [{"what": "CANARY-MINE-TALLY-7", "count": 4}]
    # Look-fors and the seat map come along: notes with their tag, taps by seat.
    assert observation["look_fors"] == [
        {"look_for": "CANARY-MINE-LOOKFOR-12", "chosen_by": teacher.full_name, "counted": False}
    ]
    tagged = [n for n in observation["notes"] if n["note"] == "CANARY-MINE-TAGGED-13"]
    assert tagged[0]["look_for"] == "CANARY-MINE-LOOKFOR-12"
    assert observation["seat_map"]["summary"] == (
        "2 of 20 seats spoke, 3 times in all; 1 seat had 67% of the talk."
    )
    assert observation["seat_map"]["taps_by_seat"] == [
        {"row": 1, "seat": 1, "times": 2},
        {"row": 2, "seat": 3, "times": 1},
    ]
    assert "2 of 20 seats spoke" in files["portfolio.html"]
    assert len(list(csv.DictReader(io.StringIO(files["csv/seat_taps.csv"])))) == 3
    # Times are the school's, with their offset: Chicago in November is UTC-6.
    assert observation["when"].endswith("-06:00")
    rows = list(csv.DictReader(io.StringIO(files["csv/observations.csv"])))
    assert [r["my answer"] for r in rows] == ["CANARY-MINE-ANSWER-8"]
    # The portfolio: one page per cycle, with its chart.
    portfolio = files["portfolio.html"]
    assert portfolio.count('<section class="page" id="cycle-') == 1
    assert "<svg" in portfolio
    assert "Progress toward the goal" in portfolio
    assert "break-before: page" in portfolio


def every_value(tree):
    """Each value of a JSON document, down to the leaves."""
    yield tree
    children = tree.values() if isinstance(tree, dict) else tree if isinstance(tree, list) else ()
    for child in children:
        yield from every_value(child)


def test_records_json_says_its_version_and_holds_to_its_schema(
    client_for, teacher, team, django_capture_on_commit_callbacks
):
    goal = team.cycles.get().goal
    goal.baseline, goal.target = Decimal("12.5"), Decimal("40.25")
    goal.save()
    files = export_for(client_for(teacher), django_capture_on_commit_callbacks)
    records = json.loads(files["records.json"])
    schema = json.loads(files["records.schema.json"])
    # The schema is the one committed in docs/, next to the file that names it.
    assert schema == json.loads((Path(settings.BASE_DIR) / "docs/records.schema.json").read_text())
    assert (records["version"], records["$schema"]) == (1, "records.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(records)
    # The moment it was made is told in the teacher's school's time, like every other time:
    # Chicago in November is UTC-6.
    assert records["made"] == "2026-11-22T23:30:00-06:00"
    (partnership,) = records["partnerships"]
    (cycle,) = partnership["cycles"]
    # Decimals are numbers, as counts are; what is not there is null, never "".
    assert (cycle["goal"]["baseline"], cycle["goal"]["target"]) == (12.5, 40.25)
    assert cycle["goal"]["progress"][0]["value"] == 45
    assert (partnership["ended"], cycle["ended"], cycle["outcome"]) == (None, None, None)
    assert "" not in list(every_value(records))


def test_a_teacher_who_left_the_school_has_the_export_dated_in_its_time(
    client_for, teacher, partnership, django_capture_on_commit_callbacks
):
    teacher.memberships.all().delete()  # no role anywhere now: the partnership's school tells
    files = export_for(client_for(teacher), django_capture_on_commit_callbacks)
    assert json.loads(files["records.json"])["made"] == "2026-11-22T23:30:00-06:00"
    assert "Made by Tandem on November 22, 2026" in files["portfolio.html"]


def test_a_name_that_looks_like_a_formula_stays_text_in_the_tables(
    client_for, teacher, partnership, django_capture_on_commit_callbacks
):
    factories.GoalFactory(cycle__partnership=partnership, cycle__title="=HYPERLINK(1)")
    files = export_for(client_for(teacher), django_capture_on_commit_callbacks)
    (row,) = csv.DictReader(io.StringIO(files["csv/cycles.csv"]))
    assert row["title"] == "'=HYPERLINK(1)"


def test_text_in_the_portfolio_is_escaped(
    client_for, teacher, partnership, django_capture_on_commit_callbacks
):
    goal = factories.GoalFactory(cycle__partnership=partnership)
    factories.ObservationFactory(
        cycle=goal.cycle, status="shared", strengths="<script>alert(1)</script>"
    )
    files = export_for(client_for(teacher), django_capture_on_commit_callbacks)
    assert "<script>" not in files["portfolio.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in files["portfolio.html"]


def test_it_still_works_after_the_partnership_closes(
    client_for, teacher, cycle, partnership, django_capture_on_commit_callbacks
):
    partnership.status = "closed"
    partnership.save()
    files = export_for(client_for(teacher), django_capture_on_commit_callbacks)
    assert cycle.title in files["portfolio.html"]
    assert json.loads(files["records.json"])["partnerships"][0]["status"] == "closed"


def test_every_export_is_in_the_teachers_access_log(
    client_for, teacher, cycle, django_capture_on_commit_callbacks
):
    client = client_for(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-records/export/")
    (event,) = AccessEvent.objects.filter(subject=teacher)
    assert (event.actor, event.action, event.kind) == (teacher, "exported", "everything")
    # Shown without asking for "what I did myself": had someone else signed in as the
    # teacher, this is the line that would tell.
    page = client.get("/my-records/access/").text
    assert "All your records, in one download" in page


def test_a_double_tap_makes_one_export_and_a_redelivered_task_builds_once(
    client_for, teacher, cycle, django_capture_on_commit_callbacks
):
    client = client_for(teacher)
    client.post("/my-records/export/")  # no commit yet: its task has not run
    client.post("/my-records/export/")
    (export,) = Export.objects.all()
    assert export.status == "waiting"
    assert build_export(str(export.pk)) is True
    export.refresh_from_db()
    assert export.status == "ready"
    first = default_storage.open(export.file).read()
    assert build_export(str(export.pk)) is False  # the broker hands it out again
    export.refresh_from_db()
    assert export.status == "ready"
    assert default_storage.open(export.file).read() == first
    assert AccessEvent.objects.filter(subject=teacher, action="exported").count() == 1


def test_the_page_shows_progress_while_it_is_made(client_for, teacher, cycle):
    Export.objects.create(user=teacher, status="building", done=2, total=5)
    client = client_for(teacher)
    page = client.get("/my-records/").text
    assert "Putting your records together: 2 of 4 cycles" in page
    assert '<progress class="w-100 mb-2" value="2" max="5"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Prepare my download" not in page
    # htmx asks for the status part alone.
    part = client.get("/my-records/", headers={"HX-Request": "true"}).text
    assert part.lstrip().startswith('<div id="export-status"')


def test_progress_is_counted_cycle_by_cycle(teacher, partnership):
    for month in (9, 10):
        factories.GoalFactory(
            cycle__partnership=partnership,
            cycle__phase="closed",
            cycle__started_on=datetime.date(2026, month, 1),
            cycle__ended_on=datetime.date(2026, month, 28),
        )
    factories.GoalFactory(cycle__partnership=partnership)
    seen = []
    export = Export.objects.create(user=teacher, total=services.bundle.count_steps(teacher))
    real = services.bundle.build

    def watching(user, *, made_at, on_progress, **asked):
        return real(
            user, made_at=made_at, on_progress=lambda n: (seen.append(n), on_progress(n)), **asked
        )

    services.bundle.build = watching
    try:
        services.export_build(export.pk)
    finally:
        services.bundle.build = real
    assert seen == [1, 2, 3]
    export.refresh_from_db()
    assert (export.done, export.total, export.percent) == (4, 4, 100)


def test_a_failed_build_says_so_and_can_be_tried_again(
    client_for, teacher, cycle, django_capture_on_commit_callbacks, monkeypatch, clock
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services.bundle, "build", broken)
    client = client_for(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-records/export/")
    assert "could not be put together" in client.get("/my-records/").text
    monkeypatch.undo()
    clock.shift(datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-records/export/")
    assert "Download my records (ZIP)" in client.get("/my-records/").text


def test_nobody_else_can_download_it(client_for, teacher, colleague, cycle, coach):
    export = Export.objects.create(user=teacher, total=2)
    services.export_build(export.pk)
    url = f"/my-records/{export.pk}/tandem-records.zip"
    assert client_for(teacher).get(url).status_code == 200
    for person in (colleague, coach):
        assert client_for(person).get(url).status_code == 404


def test_a_day_later_the_file_is_gone(client_for, teacher, cycle, clock):
    export = Export.objects.create(user=teacher, total=2)
    services.export_build(export.pk)
    export.refresh_from_db()
    url = f"/my-records/{export.pk}/tandem-records.zip"
    clock.shift(datetime.timedelta(hours=23, minutes=59))
    forget_old_exports()
    assert client_for(teacher).get(url).status_code == 200
    clock.shift(datetime.timedelta(minutes=2))
    # Past its day it is refused at once, before the hourly sweep deletes it.
    assert client_for(teacher).get(url).status_code == 404
    assert "Prepare my download" in client_for(teacher).get("/my-records/").text
    assert forget_old_exports() == {"exports deleted": 1, "exports queued again": 0}
    assert not default_storage.exists(export.file)
    assert not Export.objects.exists()


def test_an_export_whose_task_was_lost_is_queued_again(teacher, cycle, clock):
    export = Export.objects.create(user=teacher, total=2)  # its task never ran
    clock.shift(datetime.timedelta(minutes=5))
    assert forget_old_exports()["exports queued again"] == 0
    clock.shift(datetime.timedelta(minutes=6))
    assert forget_old_exports()["exports queued again"] == 1
    export.refresh_from_db()
    assert export.status == "ready"


def test_someone_with_no_partnership_gets_a_file_with_only_their_name(
    client_for, other_coach, django_capture_on_commit_callbacks
):
    client = client_for(other_coach)
    assert "you have not joined a coaching partnership yet" in client.get("/my-records/").text
    files = export_for(client, django_capture_on_commit_callbacks)
    assert json.loads(files["records.json"])["partnerships"] == []
    assert "You have no coaching cycles yet." in files["portfolio.html"]


def test_a_double_tap_with_tasks_run_at_once_makes_one_export(
    client_for, teacher, cycle, django_capture_on_commit_callbacks, clock
):
    # Found trying it: with no broker the first export is ready before the second tap lands.
    client = client_for(teacher)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/my-records/export/")
    assert Export.objects.count() == 1
    assert AccessEvent.objects.filter(subject=teacher, action="exported").count() == 1
    clock.shift(datetime.timedelta(minutes=1))  # asked for again later: a new file
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-records/export/")
    assert Export.objects.count() == 2
