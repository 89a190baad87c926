"""The capture page's service worker is served from /observations/, so that it may control
capture pages (a worker controls only pages below its own path), and never from a cache."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_worker_is_served_below_the_capture_pages(client_for, coach):
    response = client_for(coach).get("/observations/capture-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b'addEventListener("fetch"' in response.content


def test_the_browser_checks_for_a_new_worker_at_each_visit(client_for, coach):
    response = client_for(coach).get("/observations/capture-sw.js")
    assert response["Cache-Control"] == "no-cache"
