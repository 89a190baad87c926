"""A piece of a recording lives as long as its request's work, not longer."""

import uuid

import pytest

pytestmark = [pytest.mark.django_db]


def test_a_piece_is_not_kept_on_its_request(client_for, teacher, cycle, video_files):
    # Django's authentication middleware holds every request in a reference cycle, which
    # only the garbage collector's full pass frees: a piece kept on it (request.body) stays
    # in memory until then, 38 MB more over a 1 GB recording (docs/benchmarks.md).
    client = client_for(teacher)
    started = client.post(
        "/videos/uploads/",
        {"client_id": uuid.uuid4(), "cycle": cycle.pk, "title": "Lesson", "size": 10},
    ).json()
    sent = client.post(
        started["piece_url"],
        b"0123456789",
        content_type="application/octet-stream",
        headers={"upload-offset": "0", "accept": "application/json"},
    )
    assert sent.json()["offset"] == 10
    assert "_body" not in vars(sent.wsgi_request)
