"""Checks of `manage.py check --deploy` for settings Tandem cannot work with in production.

Deployment checks only: the local demo runs on http://127.0.0.1 and prints its e-mail, and
`runserver` must not complain about that.
"""

from django.conf import settings
from django.core.checks import Error, register

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
