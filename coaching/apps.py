from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching partnerships"

    def ready(self):
        from . import receivers  # noqa: F401
