"""Reads of lesson video. The rule, in one place: the teacher it shows reads it always; their
coach or their team read it only once it is ready, only while the teacher shares it with
them and is still in the partnership, and only the clip when a clip is what is shared;
nobody else, ever. What is outside that answers 404, as if it did not exist."""

from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from coaching.models import PartnershipMember
from cycles.models import Cycle
from cycles.selectors import cycles_visible_to
from observations.models import ChosenLookFor, Observation

from .models import Video, VideoComment


def _present(teacher: User | OuterRef) -> Exists:
    return Exists(
        PartnershipMember.objects.present().filter(
            partnership=OuterRef("cycle__partnership"), teacher=teacher
        )
    )


def _shared_with(user: User) -> QuerySet[Video]:
    """Of the videos in cycles `user` reads, those another teacher shares with them, as
    their coach or in their team."""
    return (
        Video.objects.filter(status=Video.Status.READY)
        .exclude(owner=user)
        .filter(
            Q(share_with_coach=True, cycle__partnership__coach=user)
            | Q(share_with_team=True) & _present(user)
        )
        .filter(_present(OuterRef("owner")))
    )


def videos_shared_with(user: User) -> QuerySet[Video]:
    """Videos another teacher shares with `user`, as their coach or in their team."""
    if not user.is_authenticated:
        return Video.objects.none()
    return _shared_with(user).filter(cycle__in=cycles_visible_to(user))


def videos_visible_to(user: User) -> QuerySet[Video]:
    if not user.is_authenticated:
        return Video.objects.none()
    return Video.objects.filter(Q(owner=user) | Q(pk__in=videos_shared_with(user).values("pk")))


def videos_of_cycle(user: User, cycle: Cycle) -> QuerySet[Video]:
    """The videos of a cycle the user reads (`cycle` comes from get_cycle): whether they
    read the cycle is answered, so only which of its videos are theirs is asked."""
    if not user.is_authenticated:
        return Video.objects.none()
    return Video.objects.filter(cycle=cycle).filter(
        Q(owner=user) | Q(pk__in=_shared_with(user).filter(cycle=cycle).values("pk"))
    )


def get_video(user: User, pk: UUID) -> Video:
    return get_object_or_404(
        videos_visible_to(user).select_related(
            "owner",
            "added_by",
            "cycle__partnership__coach",
            "cycle__partnership__school",
            "observation",
        ),
        pk=pk,
    )


def get_own_video(user: User, pk: UUID) -> Video:
    """For what only the teacher it shows does: share, cut a clip, delete."""
    return get_object_or_404(
        Video.objects.filter(owner=user).select_related("cycle__partnership__coach"), pk=pk
    )


def get_upload(user: User, pk: UUID) -> Video:
    """A recording being sent by the person who started sending it (the teacher, or the
    coach who recorded the lesson with the teacher's agreement)."""
    return get_object_or_404(Video.objects.filter(added_by=user), pk=pk)


def comments_seen_by(user: User, video: Video) -> QuerySet[VideoComment]:
    """A video's comments as `user` reads it: all of them for its teacher; those within
    the clip for whoever is shown the clip."""
    comments = video.comments.select_related("author", "look_for")
    if sees_clip_only(user, video):
        comments = comments.filter(moment__gte=video.clip_start, moment__lte=video.clip_end)
    return comments


def sees_clip_only(user: User, video: Video) -> bool:
    return video.owner_id != user.id and video.has_clip


def look_fors_for(video: Video) -> QuerySet[ChosenLookFor]:
    """What the teacher chose to have looked for in this cycle, to tag a moment with."""
    look_fors = ChosenLookFor.objects.filter(cycle=video.cycle_id, by_coach=False)
    if video.observation_id:
        return look_fors.filter(observation=video.observation_id)
    return look_fors.filter(observation__isnull=True)


def videos_of_observation(user: User, observation: Observation) -> list[Video]:
    """The videos of a lesson that `user` may watch, with the comments they may read."""
    return list(videos_visible_to(user).filter(observation=observation, status=Video.Status.READY))


def videos_owned_in_each(teacher: User, cycles: list[Cycle]) -> dict:
    """The teacher's own playable videos of each cycle, with every comment on them (theirs
    to read, whoever wrote them): for their records, in two queries however many cycles."""
    found: dict = {cycle.pk: [] for cycle in cycles}
    videos = (
        Video.objects.filter(owner=teacher, cycle__in=cycles, status=Video.Status.READY)
        .select_related("added_by")
        .prefetch_related(
            Prefetch("comments", VideoComment.objects.select_related("author", "look_for"))
        )
        .order_by("created_at")
    )
    for video in videos:
        found[video.cycle_id].append(video)
    return found


def videos_owned_by(teacher: User) -> QuerySet[Video]:
    return Video.objects.filter(owner=teacher, status=Video.Status.READY)
