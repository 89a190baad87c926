"""Moments typed as people say them ("1:05"): a comment's, and a shared clip's bounds."""

import pytest

from tests import factories
from video.models import VideoComment

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def video(teacher, cycle):
    return factories.VideoFactory(cycle=cycle, owner=teacher)


def test_a_comment_at_a_moment_typed_in_minutes_and_seconds_is_kept(client_for, teacher, video):
    answer = client_for(teacher).post(
        f"/videos/{video.pk}/comments/", {"moment": "1:05", "kind": "comment", "text": "Here."}
    )
    assert answer.status_code == 302
    assert VideoComment.objects.get().moment == 65.0


def test_a_moment_longer_than_its_field_is_refused_and_nothing_fails(client_for, teacher, video):
    answer = client_for(teacher).post(
        f"/videos/{video.pk}/comments/",
        {"moment": "1" * 13, "kind": "comment", "text": "Here."},
        follow=True,
    )
    assert "Ensure this value has at most 12 characters" in answer.content.decode()
    assert not VideoComment.objects.exists()


def test_a_clip_typed_in_minutes_and_seconds_is_shared(client_for, teacher, video):
    answer = client_for(teacher).post(
        f"/videos/{video.pk}/share/",
        {"with_coach": "on", "clip_start": "0:05", "clip_end": "1:30"},
    )
    assert answer.status_code == 302
    video.refresh_from_db()
    assert (video.share_with_coach, video.clip_start, video.clip_end) == (True, 5.0, 90.0)
