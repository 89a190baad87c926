"""A real OpenID provider on this machine, for the tests of signing in with the district's
accounts: panva's certified `oidc-provider` (tests/support/oidc_provider), started once per
test process, its packages installed by `npm ci` when missing (.ci/run installs Node.js).

Its people are `PEOPLE` below, each signing in on the provider's own page by typing their
login there. Tandem is configured for it three times over, as a district would be for
Google, Microsoft Entra ID and another provider (`district_sign_in`): each is the same
provider, met with a different rule.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "oidc_provider"
NODE = shutil.which("node")
NPM = shutil.which("npm")

DOMAIN = "district.example"
TENANT = "9a8b7c6d-1111-4222-8333-444455556666"
OTHER_TENANT = "0f0e0d0c-aaaa-4bbb-8ccc-ddddeeeeffff"


def district_person(email: str, **claims) -> dict:
    """Claims of someone with an account of the district: Google Workspace's (hd), Entra's
    (tid, xms_edov) and the provider-neutral ones, all true of the district."""
    return {
        "email": email,
        "email_verified": True,
        "hd": DOMAIN,
        "tid": TENANT,
        "xms_edov": True,
        "name": email.split("@")[0].title(),
        **claims,
    }


# Login typed on the provider's page → the claims it vouches for.
PEOPLE = {
    "teacher": district_person(f"daniel@{DOMAIN}"),
    "administrator": district_person(f"grace@{DOMAIN}"),
    "closed": district_person(f"left@{DOMAIN}"),
    "stranger": district_person(f"nobody@{DOMAIN}"),
    # The teacher's address, given again to someone new after the teacher left.
    "new-hire": district_person(f"daniel@{DOMAIN}"),
    "personal-gmail": {"email": "daniel.reyes@gmail.example", "email_verified": True},
    "other-school-workspace": district_person(
        "daniel@otherschool.example", hd="otherschool.example"
    ),
    "other-tenant": district_person(f"daniel@{DOMAIN}", tid=OTHER_TENANT),
    "unverified": district_person(f"daniel@{DOMAIN}", email_verified=False, xms_edov=False),
}
PROVIDERS = ("google", "microsoft", "district")


class OpenIDProvider:
    def __init__(self, port: int, redirect_base: str, now: str):
        self.url = f"http://127.0.0.1:{port}"
        clients = [
            {
                "client_id": f"tandem-{name}",
                "client_secret": f"secret-of-{name}",
                "redirect_uris": [f"{redirect_base}/accounts/oidc/{name}/login/callback/"],
            }
            for name in PROVIDERS
        ]
        env = {
            "PATH": str(Path(NODE).parent),
            "OIDC_ACCOUNTS": json.dumps(PEOPLE),
            "OIDC_CLIENTS": json.dumps(clients),
            "OIDC_PORT": str(port),
            "OIDC_NOW": now,
        }
        self.process = subprocess.Popen(  # noqa: S603 (our own script, no shell)
            [NODE, str(HERE / "server.mjs")],
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in self.process.stdout:
            if line.startswith("listening"):
                break
        else:
            raise RuntimeError("the OpenID provider did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def tandem_apps(provider_url: str) -> list[dict]:
    """SOCIALACCOUNT_PROVIDERS' apps, as config/settings/base.py builds them from a
    district's environment, all three reaching the test provider."""
    rules = {
        "google": {"kind": "google", "domains": [DOMAIN], "fetch_userinfo": False},
        "microsoft": {"kind": "microsoft", "tenant": TENANT, "fetch_userinfo": False},
        "district": {"kind": "other", "domains": [DOMAIN]},
    }
    names = {"google": "Google", "microsoft": "Microsoft", "district": "ClassLink"}
    return [
        {
            "provider_id": name,
            "name": names[name],
            "client_id": f"tandem-{name}",
            "secret": f"secret-of-{name}",
            "settings": {"server_url": provider_url, **rules[name]},
        }
        for name in PROVIDERS
    ]


def installed() -> None:
    if NODE is None or NPM is None:
        pytest.skip("no Node.js found: install Debian's `nodejs` and `npm` (.ci/run does)")
    if not (HERE / "node_modules" / "oidc-provider").exists():
        subprocess.run(  # noqa: S603 (npm, from the lock file)
            [NPM, "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True
        )
