from django.apps import AppConfig


class TandemConfig(AppConfig):
    """The project itself, as an app: it holds no models, only the deployment checks."""

    name = "config"
    verbose_name = "Tandem"

    def ready(self):
        from . import checks  # noqa: F401 - registers them
