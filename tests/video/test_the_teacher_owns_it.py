"""A lesson video is the teacher's: they choose who sees it, whole or as a clip, see every
look in their access log, and delete it whenever they like; the purge takes it on time."""

import datetime

import pytest

from coaching.services import partnership_remove_teacher
from cycles.services import cycle_close
from observations.models import AccessEvent
from records.tasks import purge_expired_records
from tests import factories
from video.models import Video, VideoComment

from .conftest import files_in

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def team(school, coach, teacher, colleague):
    """A grade-level team: the teacher's video may be shared with the colleague in it."""
    partnership = factories.PartnershipFactory(
        school=school, coach=coach, teachers=[teacher, colleague]
    )
    return factories.GoalFactory(cycle__partnership=partnership).cycle


def status(client, video, page=""):
    return client.get(f"/videos/{video.pk}/{page}").status_code


def test_nobody_else_sees_a_video_until_its_teacher_shares_it(
    client_for, video_files, team, coach, teacher, colleague, other_coach, school_admin
):
    video = factories.VideoFactory(cycle=team, owner=teacher)
    everyone_else = [coach, colleague, other_coach, school_admin]
    for person in everyone_else:
        client = client_for(person)
        assert {status(client, video, p) for p in ("", "lesson.mp4", "poster.jpg")} == {404}
        assert video.title not in client.get("/videos/").content.decode()

    # One browser, signed in as each in turn (client_for): the teacher signs in to share.
    client_for(teacher).post(f"/videos/{video.pk}/share/", {"with_coach": "on"})
    assert status(client_for(coach), video, "lesson.mp4") == 200
    assert status(client_for(colleague), video) == 404

    client_for(teacher).post(f"/videos/{video.pk}/share/", {"with_coach": "on", "with_team": "on"})
    assert video.title in client_for(colleague).get("/videos/").content.decode()
    assert status(client_for(colleague), video, "lesson.mp4") == 200
    assert {status(client_for(p), video) for p in (other_coach, school_admin)} == {404}

    client_for(teacher).post(f"/videos/{video.pk}/share/", {})
    assert {status(client_for(p), video) for p in (coach, colleague)} == {404}


def test_leaving_the_team_ends_what_was_shared(
    client_for, video_files, team, coach, teacher, colleague
):
    video = factories.VideoFactory(
        cycle=team, owner=teacher, share_with_coach=True, share_with_team=True
    )
    partnership_remove_teacher(actor=coach, member=team.partnership.members.get(teacher=colleague))
    assert status(client_for(colleague), video) == 404
    # And when the teacher it shows leaves, what they shared is no longer anyone's to watch.
    teacher.memberships.filter(school=team.partnership.school).delete()
    assert status(client_for(coach), video) == 404


def test_a_shared_clip_is_all_they_receive(
    client_for, video_files, team, coach, teacher, settings, django_capture_on_commit_callbacks
):
    video = factories.VideoFactory(cycle=team, owner=teacher, share_with_coach=True)
    inside = factories.VideoCommentFactory(video=video, moment=20, text="Inside the clip")
    factories.VideoCommentFactory(video=video, moment=90, text="Outside the clip")
    # Cutting is the worker's: what the coach is served is the clip file and nothing else.
    with django_capture_on_commit_callbacks(execute=False):
        client_for(teacher).post(
            f"/videos/{video.pk}/share/",
            {"with_coach": "on", "clip_start": "0:10", "clip_end": "0:40"},
        )
    video.refresh_from_db()
    assert (video.clip_start, video.clip_end) == (10, 40)
    coaching = client_for(coach)
    page = coaching.get(f"/videos/{video.pk}/").content.decode()
    assert "being cut" in page
    assert status(coaching, video, "lesson.mp4") == 404
    Video.objects.filter(pk=video.pk).update(
        clip_file=factories._stored(f"{video.pk}/clip.mp4", b"CLIP")
    )
    assert b"".join(coaching.get(f"/videos/{video.pk}/lesson.mp4").streaming_content) == b"CLIP"
    assert status(coaching, video, "poster.jpg") == 404
    page = coaching.get(f"/videos/{video.pk}/").content.decode()
    assert "Inside the clip" in page
    assert "Outside the clip" not in page
    # On the clip's own clock: 20 s into the lesson is 10 s into the clip.
    assert 'data-seek="10.000000"' in page
    refused = coaching.post(
        f"/videos/{video.pk}/comments/", {"moment": "0:45", "kind": "comment", "text": "x"}
    )
    assert refused.status_code == 302
    assert video.comments.count() == 2
    assert inside.text in client_for(teacher).get(f"/videos/{video.pk}/").content.decode()


def test_every_look_by_someone_else_is_in_the_teachers_access_log(
    client_for, video_files, cycle, coach, teacher
):
    video = factories.VideoFactory(cycle=cycle, owner=teacher, share_with_coach=True)
    client_for(teacher).get(f"/videos/{video.pk}/")
    assert not AccessEvent.objects.exists()
    coaching = client_for(coach)
    coaching.get(f"/videos/{video.pk}/")
    coaching.get(f"/videos/{video.pk}/lesson.mp4")
    coaching.post(
        f"/videos/{video.pk}/comments/", {"moment": "1:05", "kind": "comment", "text": "Here"}
    )
    events = AccessEvent.objects.filter(subject=teacher, kind="video", record_id=video.pk)
    assert {(e.actor, e.action) for e in events} == {(coach, "read"), (coach, "changed")}
    log = client_for(teacher).get("/my-records/access/").content.decode()
    assert "Lesson video of" in log
    assert f"/videos/{video.pk}/" in log


def test_comments_at_a_moment_and_the_wait_time_after_a_question(
    client_for, video_files, cycle, coach, teacher
):
    # Talk from 1 to 10 s, then silence until 14 s: a question asked at 8 s waited 4 s.
    video = factories.VideoFactory(cycle=cycle, owner=teacher, share_with_coach=True)
    look_for = factories.ChosenLookForFactory(
        cycle=cycle, observation=None, description="Wait time"
    )
    coaching = client_for(coach)
    coaching.post(
        f"/videos/{video.pk}/comments/",
        {"moment": "0:08", "kind": "question", "text": "Why halves?", "look_for": look_for.pk},
    )
    comment = VideoComment.objects.get()
    assert (comment.moment, comment.kind, comment.look_for, comment.author) == (
        8.0,
        "question",
        look_for,
        coach,
    )
    page = client_for(teacher).get(f"/videos/{video.pk}/").content.decode()
    assert "wait time 4.0 s" in page
    assert "Wait time" in page
    # A moment past the end, or typed wrong, is refused and changes nothing.
    coaching = client_for(coach)
    for moment in ("9:00", "soon", "-1", "nan"):
        coaching.post(
            f"/videos/{video.pk}/comments/", {"moment": moment, "kind": "comment", "text": "x"}
        )
    assert VideoComment.objects.count() == 1
    # The teacher takes back the coach's comment; the coach may not take back the teacher's.
    own = factories.VideoCommentFactory(video=video, author=teacher)
    assert (
        client_for(coach).post(f"/videos/{video.pk}/comments/{own.pk}/delete/").status_code == 403
    )
    client_for(teacher).post(f"/videos/{video.pk}/comments/{comment.pk}/delete/")
    assert list(VideoComment.objects.all()) == [own]


def test_its_teacher_deletes_it_with_every_file(
    client_for, video_files, cycle, coach, teacher, django_capture_on_commit_callbacks
):
    video = factories.VideoFactory(cycle=cycle, owner=teacher, share_with_coach=True)
    factories.VideoCommentFactory(video=video)
    assert files_in(video_files)
    assert client_for(coach).post(f"/videos/{video.pk}/delete/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for(teacher).post(f"/videos/{video.pk}/delete/")
    assert not Video.objects.exists()
    assert not VideoComment.objects.exists()
    assert files_in(video_files) == []
    assert list(video_files.iterdir()) == []


def test_the_purge_deletes_videos_a_set_time_after_their_cycle_closed(
    client_for,
    video_files,
    settings,
    cycle,
    coach,
    teacher,
    clock,
    django_capture_on_commit_callbacks,
):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "lesson_video": 30}
    video = factories.VideoFactory(cycle=cycle, owner=teacher)
    open_cycle_video = factories.VideoFactory(
        cycle=factories.GoalFactory(cycle__partnership__coach=coach).cycle
    )
    cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    clock.shift(30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_records()["lesson videos of closed cycles"] == 0
    clock.shift(2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_records()["lesson videos of closed cycles"] == 1
    assert list(Video.objects.all()) == [open_cycle_video]
    assert not [name for name in files_in(video_files) if name.startswith(str(video.client_id))]
