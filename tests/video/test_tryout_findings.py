"""What a try-out of lesson video as a teacher, a coach and an attacker found wrong.

Each test fails on the code it was written against, and says what was expected instead.
"""

import re
import uuid

import pytest
from django.test import TestCase

from tests.support.media import phone_mp4
from tests.video.conftest import needs_ffmpeg, send_recording

JSON = {"accept": "application/json"}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def start(client, cycle, size, **fields):
    return client.post(
        "/videos/uploads/",
        {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "Lesson", "size": size, **fields},
        headers=JSON,
    )


@pytest.mark.django_db
def test_a_negative_offset_is_refused_as_a_misplaced_piece_not_as_too_large(
    client_for, teacher, cycle, video_files
):
    """`Upload-Offset: -1` on a ten-byte piece answered 413 "This piece is too large."."""
    client = client_for(teacher)
    started = start(client, cycle, 1000).json()
    sent = client.post(
        started["piece_url"],
        b"x" * 10,
        content_type="application/octet-stream",
        headers={"upload-offset": "-1", **JSON},
    )
    assert sent.status_code == 400, (sent.status_code, sent.json())
    assert "too large" not in sent.json()["error"]


@pytest.mark.django_db
def test_an_empty_file_is_refused_in_words_a_teacher_understands(
    client_for, teacher, cycle, video_files
):
    """Choosing a zero-byte file on /videos/new/ showed the teacher Django's
    "Ensure this value is greater than or equal to 1." under the recording's title."""
    refused = start(client_for(teacher), cycle, 0)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert "Ensure this value" not in error
    assert "empty" in error.lower()


@pytest.mark.django_db
def test_a_refusal_for_want_of_room_never_says_the_room_left_is_as_large_as_the_recording(
    client_for, teacher, cycle, settings, video_files
):
    """With a little under 2 GiB left, a 2 GiB recording was refused with "This recording
    is 2.0 GB, and only 2.0 GB of room for videos is left.": both rounded to the same."""
    settings.VIDEO_MAX_BYTES = 2 * 1024**3
    settings.VIDEO_SPACE_PER_TEACHER = 2 * 1024**3
    client = client_for(teacher)
    assert start(client, cycle, 1000).status_code == 200
    refused = start(client, cycle, 2 * 1024**3 - 999)
    assert refused.status_code == 400
    error = refused.json()["error"]
    sizes = re.search(r"is (\S+\s\S+), and only (\S+\s\S+) of room", error)
    assert sizes, error
    assert sizes.group(1) != sizes.group(2), error


@needs_ffmpeg
@pytest.mark.django_db(transaction=True)
def test_deleting_a_video_leaves_no_copy_of_it_in_a_prepared_download(
    client_for, teacher, cycle, video_files, tmp_path
):
    """The delete page promises that the video and "every copy of it on the server" will be
    gone; the ZIP the teacher had prepared with "Include my lesson video files" still held
    it, and could still be downloaded, until the download expired the next day."""
    client = client_for(teacher)
    sent = send_recording(client, cycle, phone_mp4(tmp_path / "lesson.mp4").read_bytes())
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/my-records/export/", {"with_videos": "on"})
    page = client.get("/my-records/").content.decode()
    link = re.search(r'href="(/my-records/[^"]+\.zip)"', page)
    assert link, "no download was prepared"
    assert sent["id"].encode() in body(client.get(link.group(1))), "the video was not in it"

    with TestCase.captureOnCommitCallbacks(execute=True):
        deleted = client.post(f"/videos/{sent['id']}/delete/")
    assert deleted.status_code in (200, 302)
    assert client.get(f"/videos/{sent['id']}/").status_code == 404

    after = client.get(link.group(1))
    if after.status_code == 200:
        assert sent["id"].encode() not in body(after), "the deleted video is still in it"


@needs_ffmpeg
@pytest.mark.django_db(transaction=True)
def test_a_coach_shown_a_clip_is_told_the_clips_length_not_the_whole_lessons(
    client_for, teacher, coach, cycle, video_files, tmp_path
):
    """Shared as the clip 1-3 s of a 6-second lesson, the coach's page said
    "Ready · 6 seconds.": the length of the part they were not given."""
    client = client_for(teacher)
    sent = send_recording(client, cycle, phone_mp4(tmp_path / "lesson.mp4", seconds=6).read_bytes())
    with TestCase.captureOnCommitCallbacks(execute=True):
        shared = client.post(
            f"/videos/{sent['id']}/share/",
            {
                "with_coach": "on",
                "clip_start": "0:01",
                "clip_end": "0:03",
                "submission": uuid.uuid4(),
            },
        )
    assert shared.status_code == 302, shared.content.decode()[:2000]

    page = client_for(coach).get(f"/videos/{sent['id']}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "shared with you as a clip" in text
    assert "6 seconds" not in text
