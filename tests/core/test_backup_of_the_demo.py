"""The district's backup holds everything: the demo, as `make demo` seeds it, and a lesson
video a teacher sent, backed up, restored into a fresh database and a fresh folder, are
found there again: every row of every table and every byte of every file."""

import io
import uuid

import pytest
from django.core.management import call_command

from accounts.models import User
from cycles.models import Cycle
from tests.support.media import ffmpeg_missing, phone_mp4
from video.models import Video
from video.services import video_finish, video_receive, video_start

from .conftest import backup, every_file, every_row, restore

# Seeding the demo takes most of a minute on the project's machine.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(ffmpeg_missing(), reason="ffmpeg is not installed"),
]


def send_a_lesson_video(tmp_path) -> Video:
    """The demo teacher sends a recording from a phone, in pieces, and the worker makes it
    playable (tasks run at once in the tests): a real MP4 and poster land in video/."""
    teacher = User.objects.get(email="teacher@example.org")
    cycle = Cycle.objects.filter(
        partnership__members__teacher=teacher, partnership__members__status="accepted"
    ).exclude(phase=Cycle.Phase.CLOSED)[0]
    data = phone_mp4(tmp_path / "lesson.mp4").read_bytes()
    video = video_start(
        actor=teacher, cycle=cycle, owner=teacher, client_id=uuid.uuid4(),
        title="Fractions on the number line", size=len(data),
    )  # fmt: skip
    for offset in range(0, len(data), 64 * 1024):
        video = video_receive(
            actor=teacher, video=video, offset=offset, data=data[offset : offset + 64 * 1024]
        )
    video_finish(actor=teacher, video=video)
    video.refresh_from_db()
    assert video.status == Video.Status.READY, video.failure
    return video


def test_a_restored_backup_of_the_demo_holds_every_row_and_every_file(
    media_root, restore_target, tmp_path
):
    call_command("seed_demo", password="pw-for-tests", stdout=io.StringIO())
    video = send_a_lesson_video(tmp_path)
    site_files = every_file(media_root)
    assert f"video/{video.file}" in site_files
    assert f"video/{video.poster}" in site_files

    made = backup(tmp_path / "backups")
    restored_media = tmp_path / "restored" / "media"
    said = restore(made, restore_target, restored_media)

    site, restored = every_row(), every_row(restore_target)
    assert restored.keys() == site.keys()
    for table, rows in site.items():
        assert restored[table] == rows, table
    assert len(site["accounts_user"]) >= 71
    assert every_file(restored_media) == site_files
    assert f"{len(site) - 1} tables" in said
    assert "every file's sha256 is the backup's" in said
