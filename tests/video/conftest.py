import uuid
from pathlib import Path

import pytest
from django.test import TestCase

from tests.support.media import ffmpeg_missing


@pytest.fixture
def video_files(settings, tmp_path) -> Path:
    """A folder of the test's own for the video store, to look at what is left on it."""
    folder = tmp_path / "video-store"
    settings.STORAGES = {
        **settings.STORAGES,
        "video": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    return folder


def files_in(folder: Path) -> list[str]:
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


needs_ffmpeg = pytest.mark.skipif(ffmpeg_missing(), reason="ffmpeg is not installed")


def send_recording(client, cycle, data: bytes, *, piece=64 * 1024, title="Lesson", **fields):
    """What static/js/video/recorder.js does: start, every piece in order, finish."""
    started = client.post(
        "/videos/uploads/",
        {
            "client_id": fields.pop("client_id", uuid.uuid4()),
            "cycle": cycle.pk,
            "title": title,
            "size": len(data),
            **fields,
        },
        headers={"accept": "application/json"},
    )
    assert started.status_code == 200, started.content
    answer = started.json()
    offset = answer["offset"]
    while offset < len(data):
        sent = client.post(
            answer["piece_url"],
            data[offset : offset + piece],
            content_type="application/octet-stream",
            headers={"upload-offset": str(offset), "accept": "application/json"},
        )
        assert sent.status_code == 200, sent.content
        offset = sent.json()["offset"]
    # The worker's part runs here, once the finishing request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        finished = client.post(answer["finish_url"], headers={"accept": "application/json"})
    assert finished.status_code == 200, finished.content
    return answer
