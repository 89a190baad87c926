from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "observations"
    verbose_name = "Observations (confidential)"

    def ready(self):
        from . import receivers  # noqa: F401
