"""Sending a recording in pieces, as a phone on a poor network does, until it is playable."""

import datetime
import uuid

import pytest
from django.utils import timezone

from tests import factories
from tests.support import media as make
from video.models import Video

from .conftest import files_in, needs_ffmpeg, send_recording

pytestmark = [pytest.mark.django_db]


@needs_ffmpeg
@pytest.mark.parametrize(
    ("made_by", "picture"),
    [
        (make.phone_mp4, True),  # Android: MP4, H.264
        (make.iphone_mov_hevc, True),  # iPhone: MOV, HEVC
        (make.m4a_audio, False),  # a voice memo: M4A, AAC
        (make.webm_opus, False),  # a browser's sound recording: WebM, Opus
    ],
)
def test_each_phone_format_becomes_playable(
    client_for, teacher, cycle, video_files, tmp_path, made_by, picture
):
    data = made_by(tmp_path / "recording", seconds=2).read_bytes()
    client = client_for(teacher)
    send_recording(client, cycle, data, piece=256 * 1024)
    video = Video.objects.get()
    assert (video.status, video.has_video, video.failure) == ("ready", picture, "")
    assert video.duration == pytest.approx(2, abs=0.3)
    kept = [f"{video.pk}/lesson.mp4"] + ([f"{video.pk}/poster.jpg"] if picture else [])
    assert files_in(video_files) == kept
    player = "<video" if picture else "<audio"
    assert player in client.get(f"/videos/{video.pk}/").text
    answer = client.get(f"/videos/{video.pk}/lesson.mp4")
    assert answer["Content-Type"] == ("video/mp4" if picture else "audio/mp4")


@needs_ffmpeg
def test_a_teachers_upload_arrives_once_and_becomes_playable(
    client_for, teacher, cycle, video_files, tmp_path
):
    data = make.webm_vp8(tmp_path / "phone.webm", seconds=2).read_bytes()
    client = client_for(teacher)
    answer = send_recording(client, cycle, data, piece=4096, title="Fractions, 3rd period")

    video = Video.objects.get()
    assert video.pk == uuid.UUID(answer["id"])
    assert (video.owner, video.status, video.has_video) == (teacher, "ready", True)
    assert video.duration == pytest.approx(2, abs=0.3)
    assert video.talk is not None
    # Only the playable file and its poster are kept: no piece, no original.
    assert files_in(video_files) == [f"{video.pk}/lesson.mp4", f"{video.pk}/poster.jpg"]

    page = client.get(f"/videos/{video.pk}/")
    assert "Fractions, 3rd period" in page.content.decode()
    whole = client.get(f"/videos/{video.pk}/lesson.mp4")
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    body = b"".join(whole.streaming_content)
    assert body[4:8] == b"ftyp"
    seek = client.get(f"/videos/{video.pk}/lesson.mp4", headers={"range": "bytes=100-199"})
    assert seek.status_code == 206
    assert seek["Content-Range"] == f"bytes 100-199/{len(body)}"
    assert b"".join(seek.streaming_content) == body[100:200]
    assert (
        client.get(
            f"/videos/{video.pk}/lesson.mp4", headers={"range": f"bytes={len(body)}-"}
        ).status_code
        == 416
    )


def test_a_piece_sent_twice_is_stored_once_and_a_gap_is_refused(
    client_for, teacher, cycle, video_files
):
    client = client_for(teacher)
    started = client.post(
        "/videos/uploads/",
        {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "Lesson", "size": 10},
    ).json()

    def piece(offset, data):
        return client.post(
            started["piece_url"],
            data,
            content_type="application/octet-stream",
            headers={"upload-offset": str(offset)},
        )

    assert piece(0, b"01234").json()["offset"] == 5
    assert piece(0, b"01234").json()["offset"] == 5  # its answer was lost: sent again
    gap = piece(8, b"89")
    assert gap.status_code == 409
    assert gap.json()["offset"] == 5
    assert piece(5, b"5678901").status_code == 409  # more than was declared
    early = client.post(started["finish_url"])
    assert early.status_code == 409
    assert Video.objects.get().status == "uploading"
    assert files_in(video_files) == [f"incoming/{started['id']}/000000000000000"]


def test_starting_again_after_a_reload_answers_what_arrived(
    client_for, teacher, cycle, video_files
):
    client = client_for(teacher)
    fields = {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "Lesson", "size": 10}
    first = client.post("/videos/uploads/", fields).json()
    client.post(
        first["piece_url"],
        b"0123",
        content_type="application/octet-stream",
        headers={"upload-offset": "0"},
    )
    again = client.post("/videos/uploads/", fields).json()
    assert (again["id"], again["offset"]) == (first["id"], 4)
    assert Video.objects.count() == 1
    # Asked without a piece, where the recorder goes on from after a reload.
    held = client.get(first["piece_url"], headers={"accept": "application/json"})
    assert (held.status_code, held.json()["offset"]) == (200, 4)


def test_a_recording_deleted_while_being_sent_is_not_started_again_by_asking(
    client_for, teacher, cycle, video_files
):
    client = client_for(teacher)
    started = client.post(
        "/videos/uploads/", {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "L", "size": 9}
    ).json()
    client.post(f"/videos/{started['id']}/delete/")
    assert client.get(started["piece_url"]).status_code == 404
    assert not Video.objects.exists()


def test_a_huge_declared_size_is_refused_with_nothing_made(
    client_for, teacher, cycle, settings, video_files
):
    settings.VIDEO_MAX_BYTES = 1024**3
    answer = client_for(teacher).post(
        "/videos/uploads/",
        {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "Lesson", "size": 10**15},
    )
    assert answer.status_code == 400
    assert "up to 1.0\xa0GB" in answer.json()["error"]
    assert not Video.objects.exists()
    assert files_in(video_files) == []


def test_a_piece_larger_than_asked_for_is_refused(
    client_for, teacher, cycle, settings, video_files
):
    settings.VIDEO_CHUNK_BYTES = 8
    client = client_for(teacher)
    started = client.post(
        "/videos/uploads/", {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "L", "size": 20}
    ).json()
    sent = client.post(
        started["piece_url"],
        b"x" * 9,
        content_type="application/octet-stream",
        headers={"upload-offset": "0"},
    )
    assert sent.status_code == 413
    assert files_in(video_files) == []


def test_the_room_left_is_shown_and_kept(client_for, teacher, cycle, settings, video_files):
    settings.VIDEO_SPACE_PER_TEACHER = 100
    client = client_for(teacher)
    client.post(
        "/videos/uploads/", {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "L", "size": 60}
    )
    refused = client.post(
        "/videos/uploads/", {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "L", "size": 60}
    )
    assert "only 40\xa0bytes of room" in refused.json()["error"]
    assert "40\xa0bytes of 100\xa0bytes" in client.get("/videos/").content.decode()


@needs_ffmpeg
@pytest.mark.parametrize("kind", ["truncated", "not_media"])
def test_a_file_that_cannot_be_played_says_so_and_leaves_nothing(
    client_for, teacher, cycle, video_files, tmp_path, kind
):
    path = getattr(make, kind)(tmp_path / "bad.mp4")
    client = client_for(teacher)
    send_recording(client, cycle, path.read_bytes(), piece=1024 * 1024)
    video = Video.objects.get()
    assert video.status == "failed"
    assert video.failure
    assert files_in(video_files) == []
    page = client.get(f"/videos/{video.pk}/").content.decode()
    assert "could not be made playable" in page
    assert client.get(f"/videos/{video.pk}/lesson.mp4").status_code == 404


def test_a_coach_records_only_with_the_teachers_agreement(
    client_for, coach, teacher, cycle, video_files
):
    client = client_for(coach)
    fields = {"cycle": cycle.pk, "title": "Lesson", "size": 10, "teacher": teacher.pk}
    refused = client.post("/videos/uploads/", {**fields, "client_id": uuid.uuid4()})
    assert "agreement" in refused.json()["error"]
    agreed = client.post("/videos/uploads/", {**fields, "client_id": uuid.uuid4(), "consent": "on"})
    assert agreed.status_code == 200
    video = Video.objects.get()
    assert (video.owner, video.added_by, video.share_with_coach) == (teacher, coach, True)
    assert video.consent_at is not None


def test_a_video_whose_task_was_lost_is_taken_up_again(teacher, cycle, video_files, clock):
    from video.tasks import resume_stalled_videos

    lost = factories.VideoFactory(cycle=cycle, owner=teacher, status="processing", file="")
    working = factories.VideoFactory(
        cycle=cycle, owner=teacher, status="processing", file="", processing_since=timezone.now()
    )
    assert resume_stalled_videos() == 0  # just finished: its task is surely on its way
    clock.shift(datetime.timedelta(minutes=20))
    assert resume_stalled_videos() == 1
    lost.refresh_from_db()
    # Taken up: its pieces are gone, so it says so, rather than "being made playable" forever.
    assert (lost.status, lost.failure) == ("failed", "Part of this recording never arrived.")
    working.refresh_from_db()
    assert working.status == "processing"  # a worker has it, and it is not stale
