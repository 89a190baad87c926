from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "video"
    verbose_name = _("Lesson video (the teacher's own)")

    def ready(self):
        from . import receivers  # noqa: F401
