from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The plumbing under every app: the view kit, row locks, spreadsheets, one-time form
    keys, the typed request. It knows no app above it."""

    name = "core"
    verbose_name = _("Plumbing")
