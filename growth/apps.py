from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = _("Coaches' growth")

    def ready(self):
        from . import receivers  # noqa: F401
