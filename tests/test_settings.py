import os
import subprocess
import sys
from pathlib import Path

from config.settings import base

PROJECT = Path(__file__).resolve().parent.parent


def start_django(settings: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(DJANGO_SETTINGS_MODULE=settings, **env)
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
