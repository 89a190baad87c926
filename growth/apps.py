from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = "Coaches' growth"

    def ready(self):
        from . import receivers  # noqa: F401
