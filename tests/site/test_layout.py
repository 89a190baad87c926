import re

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_page_answers_404_inside_the_layout(client_for, coach):
    response = client_for(coach).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"vendor/bootstrap/bootstrap.min.css" in response.content


def test_the_server_error_page_renders_without_context():
    from django.template.loader import render_to_string

    assert "Something went wrong" in render_to_string("500.html")


@pytest.mark.parametrize("page", ["/coach/", "capture"])
def test_pages_forbid_inline_scripts_and_styles(client_for, coach, world, page):
    # The capture page too, whose scripts run offline, and each page's words for its
    # scripts (the JavaScript catalogue, core/jsi18n.py): all from this server, by address.
    if page == "capture":
        page = f"/observations/{world.draft.pk}/capture/"
    response = client_for(coach).get(page)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert b"<script>" not in response.content
    assert b" style=" not in response.content
    scripts = re.findall(r"<script ([^>]*)>", response.text)
    assert len(scripts) >= 4
    for script in scripts:
        assert re.search(r'(^| )src="/(static|jsi18n)/', script) or 'type="application/json"' in (
            script
        ), script
    assert scripts[0].startswith('src="/jsi18n/')


def test_pages_load_assets_from_this_server_only(client_for, coach):
    content = client_for(coach).get("/coach/").content
    assert b"cdn" not in content.lower()
    assert b'src="/static/vendor/htmx/htmx.min.js"' in content


def test_the_layout_fits_a_phone(client_for, teacher):
    content = client_for(teacher).get("/teacher/").content
    assert b'name="viewport" content="width=device-width, initial-scale=1"' in content
    assert b"navbar-toggler" in content


@pytest.mark.django_db
def test_the_navigation_marks_the_current_page(client_for, coach):
    page = client_for(coach).get("/activity/").text
    assert 'class="nav-link active" href="/activity/" aria-current="page">Activity log' in page
    assert 'href="/partnerships/" aria-current' not in page


@pytest.mark.django_db
def test_a_page_within_a_section_marks_its_section(client_for, coach, partnership):
    page = client_for(coach).get(f"/partnerships/{partnership.pk}/").text
    assert 'href="/partnerships/" aria-current="true">Partnerships' in page


def test_row_links_are_the_addresses_url_would_give():
    import uuid

    from django.template import Context, Template
    from django.urls import reverse, set_script_prefix

    pk = uuid.uuid4()
    row_link = Template("{% load navigation %}{% path 'cycles:detail' pk %}")
    assert row_link.render(Context({"pk": pk})) == reverse("cycles:detail", args=[pk])
    set_script_prefix("/tandem/")  # served under a sub-path
    try:
        assert row_link.render(Context({"pk": pk})) == f"/tandem/cycles/{pk}/"
        assert Template("{% load navigation %}{% path 'accounts:person' 7 %}").render(
            Context()
        ) == reverse("accounts:person", args=[7])
    finally:
        set_script_prefix("/")
