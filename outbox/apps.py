from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every e-mail Tandem sends: a row first, written with the change it is about, then a
    delivery that happens once (`outbox.mail`)."""

    name = "outbox"
    verbose_name = "Outgoing mail"
