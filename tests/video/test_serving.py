"""How a file leaves once the view said yes: ranges from Django, or the web server's own
sending, or a signed link to a private object in a bucket."""

import pytest

from tests import factories
from video.serving import Unsatisfiable, wanted_range

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-", (0, 999)),
        ("bytes=100-199", (100, 199)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file, as RFC 9110 allows
        ("items=0-1", None),
    ],
)
def test_ranges_a_player_asks_for(header, expected):
    assert wanted_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-4", "bytes=-0"])
def test_ranges_that_cannot_be_satisfied(header):
    with pytest.raises(Unsatisfiable):
        wanted_range(header, 1000)


def test_nginx_or_apache_send_the_file_themselves(client_for, settings, cycle, teacher):
    video = factories.VideoFactory(cycle=cycle, owner=teacher)
    settings.VIDEO_SERVED_BY = "nginx"
    answer = client_for(teacher).get(f"/videos/{video.pk}/lesson.mp4")
    assert answer["X-Accel-Redirect"] == f"/protected-video/{video.file}"
    assert answer.content == b""
    settings.VIDEO_SERVED_BY = "apache"
    answer = client_for(teacher).get(f"/videos/{video.pk}/lesson.mp4")
    assert answer["X-Sendfile"].endswith(f"/{video.file}")
    # Still only for whom the teacher shared it with.
    assert (
        client_for(cycle.partnership.coach).get(f"/videos/{video.pk}/lesson.mp4").status_code == 404
    )


def test_a_bucket_answers_a_link_signed_for_minutes(client_for, settings, cycle, teacher):
    video = factories.VideoFactory(cycle=cycle, owner=teacher)
    settings.STORAGES = {
        **settings.STORAGES,
        "video": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "district-videos",
                "endpoint_url": "https://s3.district.example",
                "access_key": "AKIAEXAMPLE",
                "secret_key": "not-a-real-secret",
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
            },
        },
    }
    answer = client_for(teacher).get(f"/videos/{video.pk}/lesson.mp4")
    assert answer.status_code == 302
    link = answer["Location"]
    assert link.startswith(f"https://s3.district.example/district-videos/{video.file}?")
    assert "X-Amz-Signature=" in link
    assert "X-Amz-Expires=300" in link
