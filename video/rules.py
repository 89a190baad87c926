"""Who may act on a video they can already see (seeing: `selectors`, else 404), and the
refusals of the acts its state or its limits decide, asked by the page and the service."""

import rules
from django.conf import settings
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from coaching.rules import teachers_now
from cycles.models import Cycle
from cycles.rules import cycle_change_refusal, is_cycle_coach

from .models import Video, VideoComment


@rules.predicate
def is_owner(user: User, video: Video) -> bool:
    return video.owner_id == user.id


@rules.predicate
def is_comment_author(user: User, comment: VideoComment) -> bool:
    return comment.author_id == user.id


@rules.predicate
def owns_commented_video(user: User, comment: VideoComment) -> bool:
    return comment.video.owner_id == user.id


# The teacher it shows decides everything about a video; whoever may watch it may comment.
rules.add_perm("video.share", is_owner)
rules.add_perm("video.delete", is_owner)
# A comment is taken back by whoever wrote it, or by the teacher whose lesson it is about.
rules.add_perm("video.delete_comment", is_comment_author | owns_commented_video)


def space_left(owner: User) -> int:
    """Bytes left of the teacher's room for videos (VIDEO_SPACE_PER_TEACHER)."""
    used = (
        Video.objects.filter(owner=owner)
        .exclude(status=Video.Status.FAILED)
        .aggregate(used=Sum("declared_bytes"))["used"]
        or 0
    )
    return max(settings.VIDEO_SPACE_PER_TEACHER - used, 0)


def video_add_refusal(actor: User, cycle: Cycle, owner: User) -> str | None:
    """Why `actor` may not add a video of `owner`'s lesson to `cycle` now."""
    if owner.pk not in teachers_now(cycle.partnership):
        return _("Only a teacher in this cycle's partnership can be recorded for it.")
    if actor.pk != owner.pk and not is_cycle_coach(actor, cycle):
        return _("Only the teacher, or their coach with their agreement, adds a video.")
    return cycle_change_refusal(cycle)


def _bytes(size: int) -> str:
    """A size to the byte, with its thousands grouped as the reader writes them."""
    return ngettext("%(n)s byte", "%(n)s bytes", size) % {
        "n": number_format(size, force_grouping=True)
    }


def video_size_refusal(size: int, owner: User) -> str | None:
    if size <= 0:
        return _("This file is empty.")
    if size > settings.VIDEO_MAX_BYTES:
        return _("This recording is %(size)s; Tandem takes recordings of up to %(most)s.") % {
            "size": filesizeformat(size),
            "most": filesizeformat(settings.VIDEO_MAX_BYTES),
        }
    left = space_left(owner)
    if size > left:
        needed, room = filesizeformat(size), filesizeformat(left)
        if needed == room:  # rounded alike: say it to the byte
            needed, room = _bytes(size), _bytes(left)
        return _(
            "This recording is %(needed)s, and only %(room)s of room for videos is left. "
            "Deleting a video you no longer need makes room."
        ) % {"needed": needed, "room": room}
    return None


def video_comment_refusal(video: Video, moment: float, *, clip_only: bool) -> str | None:
    if not video.is_ready:
        return _("Comments can be added once the video is playable.")
    if moment < 0 or (video.duration is not None and moment > video.duration + 0.5):
        return _("That moment is not in the video.")
    if clip_only:
        start, end = video.clip_start, video.clip_end
        if start is None or end is None or not start <= moment <= end:
            return _("That moment is not in the clip you were shown.")
    return None


def clip_refusal(video: Video, start: float | None, end: float | None) -> str | None:
    if start is None and end is None:
        return None
    if start is None or end is None:
        return _("A clip needs both its start and its end.")
    if not video.is_ready or video.duration is None:
        return _("A clip can be cut once the video is playable.")
    if not 0 <= start < end <= video.duration + 0.5:
        return _("The clip must start before it ends, within the video.")
    if end - start < 1:
        return _("A clip must last at least a second.")
    return None
