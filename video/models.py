"""Lesson video and audio: the teacher's own.

A video belongs to the teacher it shows, whoever pressed record. They choose whether their
coach or their team sees it, and may share a clip rather than the lesson; nobody else ever
does, administrators and operators included. Every look by anyone else is written to the
teacher's access log. Its comments are read as the video is; its talk timeline says when
someone was talking, never what was said or who said it.
"""

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from observations.models import ChosenLookFor, Observation

from . import media


def video_storage() -> Storage:
    """MEDIA_ROOT/video by default, or a private S3-compatible bucket (STORAGES["video"]).

    Asked at each use rather than bound to a FileField, so a name in a row is all a video
    keeps of its files, and a test or an operator can point it elsewhere."""
    return storages["video"]


class Video(models.Model):
    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        PROCESSING = "processing", _("Being made playable")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made playable")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="videos"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="videos")
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    title = models.CharField(max_length=120)
    # The recorder's own id for this recording: sending its start again finds this row.
    client_id = models.UUIDField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When a coach records, the teacher's agreement to it, as the coach recorded it.
    consent_at = models.DateTimeField(null=True, blank=True)
    declared_bytes = models.BigIntegerField()
    received_bytes = models.BigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADING)
    # Percent made playable, for the page to show while the worker runs.
    progress = models.PositiveSmallIntegerField(default=0)
    # When a worker took it up: a second delivery of the task leaves it alone meanwhile.
    processing_since = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)
    has_video = models.BooleanField(default=True)
    duration = models.FloatField(null=True, blank=True)
    # Names in `video_storage()`: the playable MP4 (or M4A) and, for video, its poster.
    file = models.CharField(max_length=200, blank=True)
    poster = models.CharField(max_length=200, blank=True)
    # Talk segments [[start, end], ...] in seconds; silence is what lies between. Null until
    # the worker drew it.
    talk = models.JSONField(null=True, blank=True)
    share_with_coach = models.BooleanField(default=False)
    share_with_team = models.BooleanField(default=False)
    # A clip shared in place of the lesson: those it is shared with get `clip_file` only.
    clip_start = models.FloatField(null=True, blank=True)
    clip_end = models.FloatField(null=True, blank=True)
    clip_file = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="video_owner_idx"),
            models.Index(fields=["cycle", "-created_at"], name="video_cycle_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_id"], name="video_sent_once"),
            models.CheckConstraint(
                condition=Q(received_bytes__lte=models.F("declared_bytes")),
                name="video_no_more_than_declared",
            ),
            models.CheckConstraint(
                condition=Q(clip_start__isnull=True, clip_end__isnull=True)
                | Q(clip_start__gte=0, clip_end__gt=models.F("clip_start")),
                name="video_clip_in_order",
            ),
        ]

    def __str__(self):
        return f"Lesson video of {self.created_at:%Y-%m-%d}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def has_clip(self) -> bool:
        return self.clip_start is not None

    @property
    def is_shared(self) -> bool:
        return self.share_with_coach or self.share_with_team

    @property
    def failure_shown(self) -> str:
        """Why it could not be made playable, in the reader's language: the worker keeps
        the sentence as it was written, in English."""
        return media.refusal_shown(self.failure)


class VideoComment(models.Model):
    """A comment at a moment of a video; a question's moment is where its wait time starts."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        QUESTION = "question", _("Question asked")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moment = models.FloatField()
    text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    look_for = models.ForeignKey(
        ChosenLookFor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["moment", "created_at"]
        indexes = [models.Index(fields=["video", "moment"], name="video_comment_moment_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(moment__gte=0), name="video_comment_moment_positive")
        ]

    def __str__(self):
        return "Comment on a lesson video"

    @property
    def wait_time(self) -> float | None:
        """A question's wait time: the silence that followed it on the talk timeline."""
        video = self.video
        if self.kind != self.Kind.QUESTION or video.talk is None:
            return None
        return media.wait_time([tuple(s) for s in video.talk], self.moment, video.duration or 0)
