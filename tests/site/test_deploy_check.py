"""`manage.py check --deploy` refuses settings a deployment cannot work with: links in
e-mails that are not HTTPS, and e-mail that is never sent."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

PROJECT = Path(__file__).resolve().parents[2]
SMTP = "django.core.mail.backends.smtp.EmailBackend"
WORKING = {"SITE_URL": "https://tandem.example.org", "EMAIL_BACKEND": SMTP}


def tandem_errors(*, deploy: bool = True) -> dict[str, str]:
    found = checks.run_checks(include_deployment_checks=deploy)
    return {m.id: m.msg for m in found if m.id.startswith("tandem.") and m.is_serious()}


def test_working_settings_pass():
    with override_settings(**WORKING):
        assert tandem_errors() == {}


@pytest.mark.parametrize(
    "site_url",
    ["http://127.0.0.1:8000", "http://tandem.example.org", "tandem.example.org", ""],
)
def test_a_site_url_that_is_not_https_fails(site_url):
    with override_settings(**{**WORKING, "SITE_URL": site_url}):
        errors = tandem_errors()
        assert "SITE_URL" in errors["tandem.E001"]
        # Only the deployment checklist asks: the local demo runs on http://127.0.0.1.
        assert tandem_errors(deploy=False) == {}
    assert list(errors) == ["tandem.E001"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_e_mail_that_is_never_sent_fails(backend):
    with override_settings(**{**WORKING, "EMAIL_BACKEND": backend}):
        errors = tandem_errors()
        assert tandem_errors(deploy=False) == {}
    assert list(errors) == ["tandem.E002"]
    assert "EMAIL_URL" in errors["tandem.E002"]


def test_the_checklist_fails_in_production_without_site_url_or_email_url():
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SITE_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_READ_DOT_ENV_FILE="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tandem.example.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "tandem.E001" in result.stderr
    assert "tandem.E002" in result.stderr


def test_workers_without_ffmpeg_are_warned_of():
    with override_settings(**WORKING, FFMPEG_BINARY="/nonexistent/ffmpeg"):
        found = checks.run_checks(include_deployment_checks=True)
    warned = {m.id: m.msg for m in found if m.id == "tandem.W009"}
    assert warned == {
        "tandem.W009": "/nonexistent/ffmpeg not found: lesson videos cannot be made playable."
    }


def test_an_unknown_way_of_sending_videos_fails():
    with override_settings(**WORKING, VIDEO_SERVED_BY="lighttpd"):
        assert list(tandem_errors()) == ["tandem.E010"]
