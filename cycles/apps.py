from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = _("Coaching cycles")

    def ready(self):
        from . import signals  # noqa: F401
