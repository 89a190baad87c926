"""Taking one's records away: ask for an export, build it, hand it over, forget it a day later."""

import datetime
import logging
import shutil

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.language import writing_to
from accounts.models import User
from observations.access import log_access
from observations.models import AccessEvent

from . import bundle
from .models import Export
from .tasks import build_export

logger = logging.getLogger(__name__)
# An export holds every confidential record about its teacher: it is not kept lying around.
KEPT_FOR = datetime.timedelta(days=1)
# A second "Prepare" this soon after the first is the same tap twice.
DOUBLE_TAP = datetime.timedelta(seconds=30)
# A waiting export whose task was lost (a broker restart) is queued again after this.
REQUEUE_AFTER = datetime.timedelta(minutes=10)

Status = Export.Status


def latest_export(user: User) -> Export | None:
    """The person's newest export still to be had: under way, ready, or just failed."""
    return (
        Export.objects.filter(user=user)
        .exclude(status=Status.READY, expires_at__lte=timezone.now())
        .first()
    )


def export_request(*, actor: User, with_videos: bool = False) -> Export:
    """Start putting together everything about `actor`. A second request while one is under
    way (a double tap, a second tab) gets that one."""
    under_way = Export.objects.filter(user=actor, status__in=[Status.WAITING, Status.BUILDING])
    # Tasks run at once without a broker: a double tap finds the first export already made.
    just_made = (
        Export.objects.filter(user=actor, created_at__gte=timezone.now() - DOUBLE_TAP)
        .exclude(status=Status.FAILED)
        .first()
    )
    if just_made:
        return just_made
    try:
        with transaction.atomic():
            export = Export.objects.create(
                user=actor, total=bundle.count_steps(actor), with_videos=with_videos
            )
            log_access(
                actor=actor,
                action=AccessEvent.Action.EXPORTED,
                kind=AccessEvent.Kind.EVERYTHING,
                records=[(export.pk, export.created_at, [actor.pk])],
            )
    except IntegrityError:
        return under_way.get()
    transaction.on_commit(lambda: build_export.delay(str(export.pk)))
    return export


def export_build(export_id: str) -> bool:
    """The task's work: write the ZIP and keep it for a day. Run twice (a redelivered task),
    it builds once: a ready or failed export is left alone."""
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, status__in=[Status.WAITING, Status.BUILDING])
            .first()
        )
        if export is None:
            return False
        Export.objects.filter(pk=export.pk).update(status=Status.BUILDING, done=0)

    def progress(done: int) -> None:
        Export.objects.filter(pk=export.pk).update(done=done)

    archive = None
    try:
        with writing_to(export.user):
            archive = bundle.build(
                export.user,
                made_at=export.created_at,
                on_progress=progress,
                with_videos=export.with_videos,
            )
        name = f"exports/{export.pk}.zip"
        default_storage.delete(name)
        with archive.open("rb") as handle:
            name = default_storage.save(name, File(handle))
        now = timezone.now()
        Export.objects.filter(pk=export.pk).update(
            status=Status.READY,
            done=export.total,
            file=name,
            size=archive.stat().st_size,
            ready_at=now,
            expires_at=now + KEPT_FOR,
        )
    except Exception:
        # The teacher sees "could not be made" and can ask again; operators get the trace.
        logger.exception("Export %s could not be made", export.pk)
        Export.objects.filter(pk=export.pk).update(status=Status.FAILED)
        return False
    finally:
        if archive is not None:
            shutil.rmtree(archive.parent, ignore_errors=True)
    return True


def exports_forget_videos_of(user_id: int) -> None:
    """A download the teacher prepared with their video files goes when one of those videos
    does: deleting a video deletes every copy of it (records/receivers.py)."""
    for export in Export.objects.filter(user=user_id, with_videos=True):
        if export.file:
            default_storage.delete(export.file)
        export.delete()


def exports_forget(now: datetime.datetime | None = None) -> dict:
    """Delete files a day old, and exports that failed or were never finished a day ago;
    queue again those whose task was lost. Returns counts, which are all that is logged."""
    now = now or timezone.now()
    stale = Export.objects.filter(expires_at__lte=now) | Export.objects.filter(
        created_at__lte=now - KEPT_FOR
    ).exclude(status=Status.READY)
    deleted = 0
    for export in stale.order_by("created_at")[:1000]:
        if export.file:
            default_storage.delete(export.file)
        export.delete()
        deleted += 1
    requeued = 0
    for pk in Export.objects.filter(
        status=Status.WAITING, created_at__lte=now - REQUEUE_AFTER
    ).values_list("pk", flat=True):
        build_export.delay(str(pk))
        requeued += 1
    return {"exports deleted": deleted, "exports queued again": requeued}
