"""The site's Permissions-Policy allows no device feature; the recorder may use the camera
and the microphone, and the player may go full screen. Without that, Chromium refused the
camera to the recorder before asking anyone (tests/video/test_video_in_a_browser.py)."""

import pytest

from tests import factories

pytestmark = [pytest.mark.django_db]


def features(response) -> dict[str, str]:
    return dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))


def test_the_recorder_may_use_the_camera_and_the_microphone_and_nothing_else(
    client_for, teacher, coach, cycle
):
    page = features(client_for(teacher).get("/videos/new/"))
    assert (page["camera"], page["microphone"], page["geolocation"]) == ("(self)", "(self)", "()")
    in_cycle = features(client_for(coach).get(f"/cycles/{cycle.pk}/videos/new/"))
    assert (in_cycle["camera"], in_cycle["microphone"]) == ("(self)", "(self)")
    elsewhere = features(client_for(teacher).get("/videos/"))
    assert (elsewhere["camera"], elsewhere["microphone"]) == ("()", "()")


def test_the_player_may_go_full_screen(client_for, teacher, cycle):
    video = factories.VideoFactory(cycle=cycle, owner=teacher)
    page = features(client_for(teacher).get(f"/videos/{video.pk}/"))
    assert (page["fullscreen"], page["camera"]) == ("(self)", "()")
