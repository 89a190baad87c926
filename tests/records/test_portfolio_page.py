"""The teacher's portfolio in the browser: what the ZIP's portfolio holds, on a page any
phone opens, read through the export's own selectors."""

import datetime
import re
import zipfile

import pytest

from records.bundle import build
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/my-records/portfolio/"


@pytest.fixture
def records(world, coach, teacher, colleague):
    """Words in every kind of record, each telling whether the teacher may read it."""
    world.partnership.members.create(teacher=colleague, status="accepted")
    world.shared.strengths = "MINE-strengths"
    world.shared.save()
    factories.ObservationNoteFactory(observation=world.shared, text="MINE-note")
    world.shared.responses.create(teacher=teacher, text="MINE-answer")
    world.shared.teachers.add(colleague)
    world.shared.responses.create(teacher=colleague, text="NOT-colleague-answer")
    world.draft.strengths = "NOT-draft"
    world.draft.save()
    world.meeting.agenda = "MINE-agenda"
    world.meeting.save()
    world.teacher_step.text = "MINE-step"
    world.teacher_step.save()
    world.teacher_private.text = "MINE-private-reflection"
    world.teacher_private.save()
    world.coach_private.text = "NOT-coach-private"
    world.coach_private.save()
    world.note.text = "NOT-coach-note"
    world.note.save()
    world.goal.statement = "MINE-goal"
    world.goal.save()
    return world


WORD = re.compile(r"(?:MINE|NOT)-[a-z-]+")


def test_a_teacher_reads_their_whole_portfolio_and_nothing_that_is_not_theirs(
    client_for, teacher, records
):
    page = client_for(teacher).get(URL)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("private")
    found = set(WORD.findall(page.text))
    assert found == {
        "MINE-strengths",
        "MINE-note",
        "MINE-answer",
        "MINE-agenda",
        "MINE-step",
        "MINE-private-reflection",
        "MINE-goal",
    }
    assert records.cycle.title in page.text
    assert "<svg" in page.text  # the progress chart


def test_it_holds_what_the_download_holds(client_for, teacher, records, clock):
    from django.utils import timezone

    archive = build(teacher, made_at=timezone.now())
    with zipfile.ZipFile(archive) as zipped:
        (name,) = [n for n in zipped.namelist() if n.endswith("portfolio.html")]
        exported = zipped.read(name).decode()
    archive.unlink()
    page = client_for(teacher).get(URL).text
    assert set(WORD.findall(page)) == set(WORD.findall(exported))


def test_after_leaving_a_team_it_holds_only_what_came_before(
    client_for, clock, coach, teacher, colleague, records
):
    from coaching.services import partnership_remove_teacher

    clock.shift(datetime.timedelta(hours=1))
    partnership_remove_teacher(actor=coach, member=records.partnership.members.get(teacher=teacher))
    clock.shift(datetime.timedelta(hours=1))
    later = factories.ObservationFactory(
        cycle=records.cycle, status="shared", teachers=[teacher], strengths="NOT-after"
    )
    factories.ObservationNoteFactory(observation=later, text="NOT-after-note")
    factories.MeetingFactory(partnership=records.partnership, agenda="NOT-after-meeting")
    factories.NextStepFactory(partnership=records.partnership, text="NOT-after-step")
    page = client_for(teacher).get(URL).text
    assert "MINE-strengths" in page
    assert "NOT-after" not in page


def test_a_teacher_whose_account_is_closed_still_reads_it(
    client_for, clock, teacher, records, school
):
    from accounts.services import person_set_active

    clock.shift(datetime.timedelta(hours=1))
    person_set_active(actor=factories.school_admin_at(school), user=teacher, active=False)
    teacher.refresh_from_db()
    page = client_for(teacher).get(URL)
    assert page.status_code == 200
    assert "MINE-goal" in page.text


def test_someone_with_no_partnership_is_told_so(client_for, other_coach):
    page = client_for(other_coach).get(URL).text
    assert "have not been in a coaching partnership yet" in page


def test_the_teachers_home_and_my_records_lead_to_it_and_keep_the_download(
    client_for, teacher, records
):
    client = client_for(teacher)
    home = client.get("/teacher/").text
    assert f'href="{URL}"' in home
    assert 'href="/my-records/"' in home
    mine = client.get("/my-records/").text
    assert f'href="{URL}"' in mine
    assert "Prepare my download" in mine
