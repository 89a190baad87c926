import os
import secrets
import subprocess
import sys
from pathlib import Path

from config.settings import base

PROJECT = Path(__file__).resolve().parents[2]


def start_django(settings: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    # Not the checkout's .env, which `make demo` gives a SECRET_KEY.
    environment.update(DJANGO_SETTINGS_MODULE=settings, DJANGO_READ_DOT_ENV_FILE="false", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start_django("config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key():
    result = start_django("config.settings.production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_local_settings_start_with_no_environment_at_all():
    assert start_django("config.settings.local").returncode == 0


def test_a_report_group_smaller_than_three_is_refused_at_start_up():
    result = start_django("config.settings.local", REPORT_MIN_GROUP="2")
    assert result.returncode != 0
    assert "REPORT_MIN_GROUP" in result.stderr


def test_passwords_are_hashed_with_argon2_first():
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tandem.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_READ_DOT_ENV_FILE": "false",
    "SITE_URL": "https://tandem.example.org",
    "EMAIL_URL": "smtp+tls://tandem:secret@smtp.example.org:587",
}


def run_in_production(*args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter, our own arguments
        [sys.executable, *args],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **PRODUCTION},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deployment_checklist_passes_with_production_settings():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


SHOW_HEADERS = """
import django; django.setup()
from django.test import Client, override_settings
# collectstatic has not run here: serve static names unhashed for this one page.
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={"staticfiles": static}):
    response = Client().get(
        "/accounts/sign-in/", secure=True, headers={"host": "tandem.example.org"}
    )
print(response.status_code)
for name, value in response.headers.items():
    print(f"{name.lower()}: {value}")
"""


def test_production_pages_carry_every_protective_header():
    result = run_in_production("-c", SHOW_HEADERS)
    assert result.returncode == 0, result.stderr
    status, *lines = result.stdout.splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    assert status == "200"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in headers["permissions-policy"]
    assert "geolocation=()" in headers["permissions-policy"]
    assert "microphone=()" in headers["permissions-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
