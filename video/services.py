"""The verbs of lesson video: start sending a recording, take each piece of it, finish it,
make it playable, share it (or a clip of it), comment at a moment, delete.

A recording arrives in pieces, each confirmed by the offset the server now holds, so a
phone that lost its network, reloaded or was signed out sends only what is missing, and a
piece sent twice is stored once. Finishing is once: the row moves from uploading to
processing under its lock, and only that move queues the work.
"""

import datetime
import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.locking import lock
from cycles.models import Cycle
from observations.access import log_access
from observations.models import AccessEvent, ChosenLookFor, Observation

from . import media, rules
from .models import Video, VideoComment, video_storage

logger = logging.getLogger(__name__)

# A worker that took a video up and died is presumed gone after this long; the next
# delivery of the task takes it up again.
STALE_PROCESSING = datetime.timedelta(hours=3)
BLOCK = 1024 * 1024
# Kept in the video's row by the worker as written here, in English, and shown to its teacher
# in their language (media.refusal_shown).
NEVER_ARRIVED = gettext_noop("Part of this recording never arrived.")
WENT_WRONG = gettext_noop("Something went wrong while making this recording playable.")


def video_start(
    *,
    actor: User,
    cycle: Cycle,
    owner: User,
    client_id: uuid.UUID,
    title: str,
    size: int,
    consent: bool = False,
    observation: Observation | None = None,
) -> Video:
    """Begin receiving a recording of `owner`'s lesson. Sent again with the same client id
    (a reload, a retry), it answers the same video and how much of it has arrived."""
    with transaction.atomic():
        found = Video.objects.filter(owner=owner, client_id=client_id, added_by=actor).first()
        if found:
            return found
        refusal = rules.video_add_refusal(actor, cycle, owner) or rules.video_size_refusal(
            size, owner
        )
        if refusal:
            raise ValidationError(refusal)
        by_coach = actor.pk != owner.pk
        if by_coach and not consent:
            raise ValidationError(
                _("Record only with %(name)s’s agreement, and tick the box that says so.")
                % {"name": owner.full_name}
            )
        if observation is not None and observation.cycle_id != cycle.pk:
            raise ValidationError(_("That lesson is not in this cycle."))
        return Video.objects.create(
            owner=owner,
            cycle=cycle,
            observation=observation,
            client_id=client_id,
            added_by=actor,
            title=title,
            declared_bytes=size,
            consent_at=timezone.now() if by_coach else None,
            # The coach who filmed the lesson sees it, until the teacher says otherwise.
            share_with_coach=by_coach,
        )


def _piece_name(video: Video, offset: int) -> str:
    return f"incoming/{video.pk}/{offset:015d}"


def video_receive(*, actor: User, video: Video, offset: int, data: bytes) -> Video:
    """Store one piece of the recording, sent from `offset`. A piece already held (sent
    again after its answer was lost) is acknowledged and not stored twice; a piece from
    further on than what is held is refused with the offset to send from."""
    with transaction.atomic():
        video = lock(video)
        if offset + len(data) <= video.received_bytes and data:
            return video  # already here: its answer was lost on the way back
        if video.status != Video.Status.UPLOADING:
            raise ValidationError(_("This recording has already been sent in full."))
        if offset < video.received_bytes:
            raise ValidationError(_("Part of this piece is already here."))
        if offset > video.received_bytes:
            raise ValidationError(_("A piece before this one is missing."))
        if not data:
            raise ValidationError(_("This piece is empty."))
        if offset + len(data) > video.declared_bytes:
            raise ValidationError(_("This is more than the recording was said to be."))
        name = _piece_name(video, offset)
        storage = video_storage()
        # A piece stored by an attempt whose transaction then failed is replaced, not kept
        # beside under another name.
        storage.delete(name)
        storage.save(name, ContentFile(data))
        video.received_bytes = offset + len(data)
        video.save(update_fields=["received_bytes"])
    return video


def video_finish(*, actor: User, video: Video) -> Video:
    """Every piece is here: make the recording playable, once."""
    with transaction.atomic():
        video = lock(video)
        if video.status != Video.Status.UPLOADING:
            return video
        if video.received_bytes != video.declared_bytes:
            raise ValidationError(_("Some of the recording has not arrived yet."))
        video.status = Video.Status.PROCESSING
        video.save(update_fields=["status"])
        transaction.on_commit(lambda: _queue_processing(video.pk))
    return video


def _queue_processing(video_id: uuid.UUID) -> None:
    from .tasks import make_video_playable

    make_video_playable.delay(str(video_id))


def videos_resume_stalled() -> int:
    """Queue again the videos whose task was lost (a broker restarted, a worker was killed
    mid-transcode); the claim in `_claim` keeps a video from being made twice."""
    now = timezone.now()
    stalled = Video.objects.filter(status=Video.Status.PROCESSING).filter(
        Q(processing_since__isnull=True, created_at__lt=now - datetime.timedelta(minutes=15))
        | Q(processing_since__lt=now - STALE_PROCESSING)
    )
    ids = list(stalled.values_list("pk", flat=True)[:100])
    for video_id in ids:
        _queue_processing(video_id)
    return len(ids)


def _claim(video_id: uuid.UUID) -> Video | None:
    """Take the video up for processing, unless another worker has it (or it is done)."""
    now = timezone.now()
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if video is None or video.status != Video.Status.PROCESSING:
            return None
        if video.processing_since and video.processing_since > now - STALE_PROCESSING:
            return None
        video.processing_since = now
        video.save(update_fields=["processing_since"])
    return video


def _assemble(video: Video, target: Path) -> None:
    """Join the pieces, in order, into one local file for ffmpeg, a block at a time."""
    storage = video_storage()
    expected = 0
    with target.open("wb") as out:
        # Named by their offsets, zero-padded: in name order, each starts where the last ended.
        for name in sorted(_pieces_of(video)):
            if int(Path(name).name) != expected:
                raise media.MediaRefused(NEVER_ARRIVED)
            with storage.open(name) as piece:
                for block in piece.chunks(BLOCK):
                    out.write(block)
                    expected += len(block)
    if expected != video.declared_bytes:
        raise media.MediaRefused(NEVER_ARRIVED)


def _forget(names: Iterable[str]) -> None:
    """Delete files from the video store, and on a disk the folders they leave empty."""
    storage = video_storage()
    folders = set()
    for name in names:
        if name:
            storage.delete(name)
            folders.add(str(Path(name).parent))
    if not isinstance(storage, FileSystemStorage):
        return  # an object store has no folders
    root = Path(storage.location).resolve()
    for folder in sorted(folders, key=len, reverse=True):
        path = (root / folder).resolve()
        while path != root and root in path.parents:
            try:
                path.rmdir()
            except OSError:
                break  # not empty, or gone
            path = path.parent


def _pieces_of(video: Video) -> list[str]:
    storage = video_storage()
    folder = f"incoming/{video.pk}"
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in names]


def video_make_playable(video_id: uuid.UUID) -> None:
    """The worker's part: join, check, turn into H.264/AAC MP4 with fast start, draw a poster
    and the talk timeline. A file ffmpeg refuses ends as a message for its teacher, with
    nothing of it left on disk."""
    video = _claim(video_id)
    if video is None:
        return
    last_shown = [0]

    def show(fraction: float) -> None:
        percent = min(int(fraction * 100), 99)
        if percent >= last_shown[0] + 5:
            last_shown[0] = percent
            Video.objects.filter(pk=video.pk).update(progress=percent)

    stored: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="tandem-video-"))
    try:
        source = work / "source"
        _assemble(video, source)
        probed = media.probe(source)
        playable = work / "lesson.mp4"
        duration = media.make_playable(source, playable, probed=probed, on_progress=show)
        talk = media.talk_timeline(playable) if probed.has_audio else []
        storage = video_storage()
        stored.append(storage.save(f"{video.pk}/lesson.mp4", File(playable.open("rb"))))
        poster = ""
        if probed.has_video:
            media.make_poster(playable, work / "poster.jpg", duration=duration)
            poster = storage.save(f"{video.pk}/poster.jpg", File((work / "poster.jpg").open("rb")))
            stored.append(poster)
    except media.MediaRefused as refusal:
        _forget(stored)
        _end(video, failure=str(refusal))
    except Exception:
        _forget(stored)
        logger.exception("Lesson video %s could not be made playable", video.pk)
        _end(video, failure=WENT_WRONG)
    else:
        _end(
            video,
            file=stored[0],
            poster=poster,
            duration=duration,
            has_video=probed.has_video,
            talk=[list(segment) for segment in talk],
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _end(video: Video, *, failure: str = "", **playable: object) -> None:
    with transaction.atomic():
        current = Video.objects.select_for_update().filter(pk=video.pk).first()
        pieces = _pieces_of(video)
        if current is None:
            # Deleted by its teacher while it was being made playable.
            transaction.on_commit(
                lambda: _forget(pieces + [n for n in playable.values() if isinstance(n, str)])
            )
            return
        fields = ["status", "progress", "failure", "processing_since", "ready_at", *playable]
        current.status = Video.Status.FAILED if failure else Video.Status.READY
        current.failure = failure
        current.progress = 0 if failure else 100
        current.processing_since = None
        current.ready_at = None if failure else timezone.now()
        for field, value in playable.items():
            setattr(current, field, value)
        current.save(update_fields=fields)
        transaction.on_commit(lambda: _forget(pieces))


def video_share(
    *,
    actor: User,
    video: Video,
    with_coach: bool,
    with_team: bool,
    clip_start: float | None = None,
    clip_end: float | None = None,
) -> Video:
    """The teacher decides who sees their video, and whether they see all of it or a clip."""
    with transaction.atomic():
        video = lock(video)
        refusal = rules.clip_refusal(video, clip_start, clip_end)
        if refusal:
            raise ValidationError(refusal)
        old_clip = video.clip_file
        clip_changed = (clip_start, clip_end) != (video.clip_start, video.clip_end)
        video.share_with_coach = with_coach
        video.share_with_team = with_team
        fields = ["share_with_coach", "share_with_team"]
        if clip_changed:
            video.clip_start, video.clip_end = clip_start, clip_end
            video.clip_file = ""
            fields += ["clip_start", "clip_end", "clip_file"]
            transaction.on_commit(lambda: _forget([old_clip]))
            if clip_start is not None:
                transaction.on_commit(lambda: _queue_clip(video.pk))
        video.save(update_fields=fields)
    return video


def _queue_clip(video_id: uuid.UUID) -> None:
    from .tasks import cut_video_clip

    cut_video_clip.delay(str(video_id))


def video_cut_clip(video_id: uuid.UUID) -> None:
    """Cut the shared clip, so those shown a clip receive nothing of the rest."""
    video = Video.objects.filter(pk=video_id, status=Video.Status.READY).first()
    if video is None or video.clip_start is None or video.clip_file:
        return
    bounds = (video.clip_start, video.clip_end)
    storage = video_storage()
    work = Path(tempfile.mkdtemp(prefix="tandem-clip-"))
    try:
        source = work / "lesson.mp4"
        with storage.open(video.file) as stored, source.open("wb") as out:
            for block in stored.chunks(BLOCK):
                out.write(block)
        probed = media.probe(source)
        clip = work / "clip.mp4"
        media.make_playable(source, clip, probed=probed, start=bounds[0], end=bounds[1])
        name = storage.save(f"{video.pk}/clip-{uuid.uuid4().hex[:8]}.mp4", File(clip.open("rb")))
    except media.MediaRefused:
        logger.warning("The clip of lesson video %s could not be cut", video.pk)
        return
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with transaction.atomic():
        current = Video.objects.select_for_update().filter(pk=video.pk).first()
        if current is None or (current.clip_start, current.clip_end) != bounds or current.clip_file:
            # Deleted, or the teacher chose another clip meanwhile: this one is not wanted.
            transaction.on_commit(lambda: _forget([name]))
            return
        current.clip_file = name
        current.save(update_fields=["clip_file"])


def video_delete(*, actor: User, video: Video) -> None:
    """Gone, with every file and comment of it, whenever its teacher says so."""
    with transaction.atomic():
        video = lock(video)
        video.delete()


def files_of(video: Video) -> list[str]:
    return [video.file, video.poster, video.clip_file, *_pieces_of(video)]


def video_comment(
    *,
    actor: User,
    video: Video,
    moment: float,
    text: str,
    kind: str = VideoComment.Kind.COMMENT,
    look_for: ChosenLookFor | None = None,
    clip_only: bool = False,
) -> VideoComment:
    refusal = rules.video_comment_refusal(video, moment, clip_only=clip_only)
    if refusal:
        raise ValidationError(refusal)
    if not text.strip() and kind == VideoComment.Kind.COMMENT:
        raise ValidationError(_("Write a comment, or mark the moment as a question asked."))
    with transaction.atomic():
        comment = VideoComment.objects.create(
            video=video,
            author=actor,
            moment=round(moment, 1),
            text=text,
            kind=kind,
            look_for=look_for,
        )
        log_video(actor, video, AccessEvent.Action.CHANGED)
    return comment


def video_comment_delete(*, actor: User, comment: VideoComment) -> None:
    with transaction.atomic():
        comment = lock(comment)
        comment.delete()
        log_video(actor, comment.video, AccessEvent.Action.CHANGED)


def log_video(actor: User, video: Video, action: str) -> None:
    """Written in the teacher's access log when anyone else read or changed it."""
    if actor.pk == video.owner_id:
        return
    log_access(
        actor=actor,
        action=action,
        kind=AccessEvent.Kind.VIDEO,
        records=[(video.pk, video.created_at, [video.owner_id])],
    )
