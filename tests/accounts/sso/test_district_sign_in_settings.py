"""What `manage.py check` says of a district's sign-in settings, and a provider that
answers with something that is not OpenID: each found by trying the feature as a
district's IT staff would (issue 24's tryout)."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.checks import run_checks

from tests.support.openid import tandem_apps

ROOT = Path(__file__).resolve().parents[3]


def manage_check(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """`manage.py check` with a district's environment, as its IT staff would run it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SSO_", "DJANGO_SETTINGS_MODULE", "PASSWORD_SIGN_IN"))
    }
    env.update(DJANGO_READ_DOT_ENV_FILE="false", SECRET_KEY="x" * 50, **environment)
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "check", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_google_domain_list_with_nothing_in_it_is_explained_not_a_traceback():
    result = manage_check(
        SSO_GOOGLE_CLIENT_ID="id", SSO_GOOGLE_CLIENT_SECRET="secret", SSO_GOOGLE_DOMAINS=" , @"
    )
    assert "Traceback" not in result.stderr
    assert "tandem.E003" in result.stderr


def app(kind: str, server_url: str, domains: list[str]) -> dict:
    return {
        "provider_id": "district",
        "name": "ClassLink",
        "client_id": "c",
        "secret": "s",
        "settings": {"server_url": server_url, "kind": kind, "domains": domains},
    }


def errors_with(settings, *apps, deploy=False) -> set[str]:
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": list(apps)}}
    return {
        m.id for m in run_checks(include_deployment_checks=deploy) if m.id.startswith("tandem.")
    }


def test_another_provider_must_name_the_districts_domains(settings):
    # ClassLink, Clever, a state's service: one issuer for many districts' people.
    assert "tandem.E006" in errors_with(
        settings, app("other", "https://launchpad.classlink.com", [])
    )
    assert "tandem.E006" not in errors_with(
        settings, app("other", "https://launchpad.classlink.com", ["district.example"])
    )


def test_a_provider_over_plain_http_is_refused_for_production(settings):
    insecure = app("other", "http://launchpad.classlink.example", ["district.example"])
    assert "tandem.E008" in errors_with(settings, insecure, deploy=True)
    secure = app("other", "https://launchpad.classlink.example", ["district.example"])
    assert "tandem.E008" not in errors_with(settings, secure, deploy=True)


def test_passwords_off_with_no_district_account_would_shut_everyone_out(settings):
    settings.PASSWORD_SIGN_IN = False
    assert "tandem.E007" in errors_with(settings)
    assert "tandem.E007" not in errors_with(
        settings, app("other", "https://id.district.example", ["district.example"])
    )


class NotOpenID(BaseHTTPRequestHandler):
    """A provider, or something in front of it, answering JSON that is no OpenID
    discovery document."""

    answers = iter([])

    def do_GET(self):
        body = json.dumps(next(self.answers)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def not_openid():
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotOpenID)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.mark.django_db
@pytest.mark.parametrize("answer", [[1, 2], "a string", {"issuer": "no endpoints"}, None])
def test_a_provider_answering_nonsense_gets_a_page_not_an_error(
    client, settings, not_openid, answer
):
    NotOpenID.answers = iter([answer] * 5)
    url = f"http://127.0.0.1:{not_openid.server_address[1]}"
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": tandem_apps(url)}}
    response = client.post("/accounts/oidc/google/login/", {"process": "login"})
    assert response.status_code == 503
    assert "Google cannot be reached just now" in response.text
