"""A teacher's records taken away: one export, built in the background, kept for a day."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        BUILDING = "building", _("Being put together")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be made")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Progress: cycles written of how many, for the page to show while it waits.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=200, blank=True)
    # The teacher asked for their lesson video files too, not only their comments.
    with_videos = models.BooleanField(default=False)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    # The file is deleted after this (a day after it was made): it holds confidential records.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A second tap on "Prepare" while one is on its way finds that one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["waiting", "building"]),
                name="one_export_under_way",
            )
        ]

    def __str__(self):
        return f"Export of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def under_way(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.BUILDING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
