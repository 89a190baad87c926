from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "video"
    verbose_name = "Lesson video (the teacher's own)"

    def ready(self):
        from . import receivers  # noqa: F401
