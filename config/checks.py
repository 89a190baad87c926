"""Checks of `manage.py check --deploy` for settings Tandem cannot work with in production.

Deployment checks only: the local demo runs on http://127.0.0.1 and prints its e-mail, and
`runserver` must not complain about that.
"""

import shutil
import uuid

from django.conf import settings
from django.core.checks import Error, Warning, register

# Backends that accept a message and send it nowhere.
UNSENT_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(deploy=True)
def check_site_url(app_configs, **kwargs):
    # Every link in an e-mail (invitations, password resets, one-click unsubscribes) starts
    # with SITE_URL: over http:// their tokens cross the network in clear, and production
    # redirects to https:// anyway.
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}: links in e-mails would not use HTTPS.",
            hint="Set SITE_URL to the https:// address people reach Tandem at.",
            id="tandem.E001",
        )
    ]


@register(deploy=True)
def check_email_is_sent(app_configs, **kwargs):
    # Unset, EMAIL_URL prints each e-mail to the console: invitations and password resets
    # would be marked sent and reach no one.
    if settings.EMAIL_BACKEND not in UNSENT_MAIL_BACKENDS:
        return []
    return [
        Error(
            f"EMAIL_URL is unset or sends nowhere (EMAIL_BACKEND is {settings.EMAIL_BACKEND}): "
            "no e-mail would reach anyone.",
            hint="Set EMAIL_URL to your mail server, e.g. smtp+tls://user:pw@smtp.example.org:587",
            id="tandem.E002",
        )
    ]


@register()
def check_district_accounts(app_configs, **kwargs):
    # Run everywhere, not only on deploy: a sign-in open to every Google account or every
    # Microsoft tenant lets strangers knock, and accounts/sso.py would refuse them all at
    # the door only if it knows whose door it is.
    errors = []
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []):
        rule = app["settings"]
        if rule.get("kind") == "google" and not rule.get("domains"):
            errors.append(
                Error(
                    "SSO_GOOGLE_DOMAINS is empty: any Google account could sign in.",
                    hint="List the district's Workspace domains, e.g. "
                    "SSO_GOOGLE_DOMAINS=district.org,students.district.org",
                    id="tandem.E003",
                )
            )
        if rule.get("kind") == "microsoft" and not _is_tenant_id(rule.get("tenant", "")):
            errors.append(
                Error(
                    f"SSO_MICROSOFT_TENANT_ID is {rule.get('tenant')!r}: Tandem signs in only "
                    "the district's own Entra ID tenant, named by its ID.",
                    hint="Set it to the Directory (tenant) ID Entra shows, never common, "
                    "organizations or consumers.",
                    id="tandem.E004",
                )
            )
        if rule.get("kind") == "other" and not rule.get("domains"):
            # ClassLink, Clever and a state's service sign in many districts' people
            # from one issuer: without domains, another district's could come in.
            errors.append(
                Error(
                    f"SSO_OIDC_DOMAINS is empty: any account of {app['name']} could sign in.",
                    hint="List the district's e-mail domains, e.g. SSO_OIDC_DOMAINS=district.org",
                    id="tandem.E006",
                )
            )
        if not rule.get("server_url"):
            errors.append(
                Error(
                    f"The sign-in with {app['name']} has no discovery URL.",
                    hint="Set SSO_OIDC_DISCOVERY_URL to the provider's issuer URL.",
                    id="tandem.E005",
                )
            )
    return errors


@register()
def check_someone_can_sign_in(app_configs, **kwargs):
    if settings.PASSWORD_SIGN_IN or settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]:
        return []
    return [
        Error(
            "PASSWORD_SIGN_IN is off and no district account (SSO_*) is configured: only "
            "operators could sign in.",
            hint="Configure the district's Google, Microsoft or other OpenID sign-in, or set "
            "PASSWORD_SIGN_IN=true.",
            id="tandem.E007",
        )
    ]


@register(deploy=True)
def check_district_accounts_over_tls(app_configs, **kwargs):
    # Tandem takes the ID token from the provider's token endpoint without checking its
    # signature, as OpenID Connect Core (3.1.3.7) allows because TLS vouches for the
    # endpoint; over http:// anyone on the way could answer as the provider.
    return [
        Error(
            f"The sign-in with {app['name']} is reached over http://: "
            f"{app['settings']['server_url']}.",
            hint="Use the provider's https:// issuer URL.",
            id="tandem.E008",
        )
        for app in settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
        if not str(app["settings"].get("server_url", "")).startswith("https://")
    ]


def _is_tenant_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@register(deploy=True)
def check_video_tools(app_configs, **kwargs):
    # The web takes recordings whatever is installed; without ffmpeg on the workers every one
    # would end as "could not be made playable", days after the lesson.
    missing = [
        name
        for name in (settings.FFMPEG_BINARY, settings.FFPROBE_BINARY)
        if shutil.which(name) is None
    ]
    if not missing:
        return []
    return [
        Warning(
            f"{' and '.join(missing)} not found: lesson videos cannot be made playable.",
            hint="Install Debian's ffmpeg package where the Celery workers run, or set "
            "FFMPEG_BINARY and FFPROBE_BINARY to where they are.",
            id="tandem.W009",
        )
    ]


@register(deploy=True)
def check_video_sending(app_configs, **kwargs):
    if settings.VIDEO_SERVED_BY in ("django", "nginx", "apache"):
        return []
    return [
        Error(
            f"VIDEO_SERVED_BY is {settings.VIDEO_SERVED_BY!r}.",
            hint='Set it to "django", "nginx" (X-Accel-Redirect) or "apache" (X-Sendfile).',
            id="tandem.E010",
        )
    ]
