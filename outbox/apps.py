from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every e-mail Tandem sends: a row first, written with the change it is about, then a
    delivery that happens once (`outbox.mail`)."""

    name = "outbox"
    verbose_name = _("Outgoing mail")
