"""Comments on a lesson's video sit beside its notes, and go with the teacher's records;
the video file too, when they ask for it."""

import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings

from tests import factories

pytestmark = pytest.mark.django_db


def export(client, capture, **asked):
    with capture(execute=True):
        client.post("/my-records/export/", asked)
    page = client.get("/my-records/").text
    link = re.search(r'href="(/my-records/[0-9a-f-]+/tandem-records\.zip)"', page)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(link[1]).streaming_content)))
    return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_the_comments_on_a_lessons_video_are_beside_its_notes(
    client_for, video_files, cycle, coach, teacher
):
    lesson = factories.ObservationFactory(cycle=cycle, status="shared")
    video = factories.VideoFactory(cycle=cycle, owner=teacher, observation=lesson)
    factories.VideoCommentFactory(video=video, author=teacher, text="Look at the hands up")
    # Not shared with the coach: the coach's page of the lesson says nothing of it.
    assert "Look at the hands up" not in client_for(coach).get(f"/observations/{lesson.pk}/").text
    assert "Look at the hands up" in client_for(teacher).get(f"/observations/{lesson.pk}/").text
    video.share_with_coach = True
    video.save()
    page = client_for(coach).get(f"/observations/{lesson.pk}/feedback/").text
    assert "On the video of this lesson" in page
    assert "Look at the hands up" in page


def test_the_teachers_records_hold_their_videos_and_every_comment(
    client_for, video_files, cycle, coach, teacher, colleague, school, clock,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    mine = factories.VideoFactory(cycle=cycle, owner=teacher, title="MINE-TITLE")
    factories.VideoCommentFactory(video=mine, author=coach, text="MINE-COACH-COMMENT")
    factories.VideoCommentFactory(video=mine, author=teacher, moment=8, kind="question")
    team = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher, colleague])
    theirs = factories.VideoFactory(
        cycle=factories.GoalFactory(cycle__partnership=team).cycle,
        owner=colleague,
        share_with_team=True,
        title="THEIRS-TITLE",
    )
    factories.VideoCommentFactory(video=theirs, author=teacher, text="THEIRS-MY-COMMENT")

    files = export(client_for(teacher), django_capture_on_commit_callbacks)
    everything = b"\n".join(files.values()).decode("utf-8", errors="replace")
    assert "MINE-TITLE" in everything
    assert "MINE-COACH-COMMENT" in everything
    assert "THEIRS" not in everything  # a teammate's video is theirs, not this teacher's
    records = json.loads(files["records.json"])
    schema = json.loads((Path(settings.BASE_DIR) / "docs/records.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(records)
    (video,) = [v for p in records["partnerships"] for c in p["cycles"] for v in c["my_videos"]]
    assert video["file"] is None
    # Talk from 1 to 10 s, then silence to 14 s: the question at 8 s waited 4 s.
    assert [(c["moment"], c["kind"], c["wait_time"]) for c in video["comments"]] == [
        (8.0, "question", 4.0),
        (12.0, "comment", None),
    ]
    assert not [name for name in files if name.startswith("videos/")]

    clock.shift(datetime.timedelta(minutes=5))  # a new file, not the one just made
    files = export(client_for(teacher), django_capture_on_commit_callbacks, with_videos="on")
    (name,) = [name for name in files if name.startswith("videos/")]
    assert files[name] == (video_files / mine.file).read_bytes()
    records = json.loads(files["records.json"])
    (video,) = [v for p in records["partnerships"] for c in p["cycles"] for v in c["my_videos"]]
    assert video["file"] == name
