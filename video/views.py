"""Lesson video pages: the list, record or upload (static/js/video/recorder.js sends the
pieces), watch with comments and the talk timeline, share, delete; and the files, served
only after the selector said yes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_permissions_policy.decorators import permissions_policy_override

from accounts.models import Membership, User
from coaching.rules import teachers_now
from core.views import ServiceFormView, require_perm, require_role, run_action
from cycles.models import Cycle
from cycles.rules import cycle_change_refusal
from cycles.selectors import cycles_visible_to, get_cycle
from observations.models import AccessEvent

from . import rules, selectors, services
from .forms import VideoCommentForm, VideoShareForm, VideoStartForm
from .models import Video
from .serving import send_video_file

Role = Membership.Role
PEOPLE = (Role.COACH, Role.TEACHER)


def _allowing(*features: str):
    """The site's Permissions-Policy, which allows no device feature, with `features`
    allowed to Tandem's own pages: without it the browser refuses the camera to the
    recorder before asking anyone, and the player its full-screen button."""
    return permissions_policy_override(
        {**settings.PERMISSIONS_POLICY, **{feature: ["self"] for feature in features}}
    )


def video_list(request):
    """A teacher's own videos, with the room left; and the videos others share with them."""
    membership = require_role(request, *PEOPLE)
    own = (
        Video.objects.filter(owner=request.user).select_related("cycle")
        if membership.role == Role.TEACHER
        else Video.objects.none()
    )
    shared = selectors.videos_shared_with(request.user).select_related("owner", "cycle")
    context = {
        "own": own,
        "shared": shared,
        "is_teacher": membership.role == Role.TEACHER,
        "space_left": rules.space_left(request.user),
        "space": settings.VIDEO_SPACE_PER_TEACHER,
        "retention_days": settings.RETENTION_DAYS["lesson_video"],
    }
    return render(request, "video/video_list.html", context)


@_allowing("camera", "microphone")
def video_add(request, cycle=None):
    """Record or upload a lesson: the teacher for themselves, or the coach with the
    teacher's agreement. The recorder sends the file; this page only sets it up."""
    membership = require_role(request, *PEOPLE)
    if cycle is not None:
        cycles = [get_cycle(request.user, cycle)]
    elif membership.role == Role.TEACHER:
        cycles = list(
            cycles_visible_to(request.user)
            .exclude(phase=Cycle.Phase.CLOSED)
            .select_related("partnership__coach")
        )
    else:
        raise Http404
    # Only cycles that can take a video now: open, in a partnership that is not paused.
    refusal = cycle_change_refusal(cycles[0]) if cycle is not None else None
    cycles = [c for c in cycles if cycle_change_refusal(c) is None]
    is_coach = any(c.partnership.coach_id == request.user.pk for c in cycles)
    teachers = []
    if is_coach:
        present = teachers_now(cycles[0].partnership)
        teachers = list(User.objects.filter(pk__in=present).order_by("full_name"))
    observations = []
    if is_coach:
        observations = list(
            cycles[0].observations.filter(observer=request.user).order_by("-observed_at")[:10]
        )
    context = {
        "cycles": cycles,
        "is_coach": is_coach,
        "teachers": teachers,
        "observations": observations,
        "chosen_observation": request.GET.get("observation", ""),
        "space_left": rules.space_left(request.user) if not is_coach else None,
        "max_bytes": settings.VIDEO_MAX_BYTES,
        "max_seconds": settings.VIDEO_MAX_SECONDS,
        "chunk_bytes": settings.VIDEO_CHUNK_BYTES,
        "refusal": refusal or (None if cycles else _("You have no open cycle to add a video to.")),
        # The recording's title until the teacher writes another: "Lesson of" today's date.
        "today": timezone.localtime(),
    }
    return render(request, "video/video_add.html", context)


def _json_refusal(message: str, http_status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=http_status)


def _upload_answer(video: Video) -> dict:
    return {
        "id": str(video.pk),
        "offset": video.received_bytes,
        "size": video.declared_bytes,
        "status": video.status,
        "piece_url": reverse("video:upload_piece", args=[video.pk]),
        "finish_url": reverse("video:upload_finish", args=[video.pk]),
        "url": reverse("video:detail", args=[video.pk]),
    }


@require_POST
def upload_start(request):
    """The recorder's first word about a recording; said again after a reload, it answers
    how much of it is already here."""
    require_role(request, *PEOPLE)
    form = VideoStartForm(request.POST)
    if not form.is_valid():
        return _json_refusal(" ".join(e for errors in form.errors.values() for e in errors))
    data = form.cleaned_data
    cycle = get_cycle(request.user, data["cycle"])
    owner = request.user
    if data["teacher"] and data["teacher"] != request.user.pk:
        if data["teacher"] not in teachers_now(cycle.partnership):
            raise Http404
        owner = User.objects.get(pk=data["teacher"])
    observation = None
    if data["observation"]:
        observation = cycle.observations.filter(
            pk=data["observation"], observer=request.user
        ).first()
        if observation is None:
            raise Http404
    try:
        video = services.video_start(
            actor=request.user,
            cycle=cycle,
            owner=owner,
            client_id=data["client_id"],
            title=data["title"],
            size=data["size"],
            consent=data["consent"],
            observation=observation,
        )
    except ValidationError as error:
        return _json_refusal(" ".join(error.messages))
    return JsonResponse(_upload_answer(video))


@require_http_methods(["GET", "POST"])
def upload_piece(request, video):
    """One piece of the recording, from the byte named in `Upload-Offset`. The answer is
    the offset now held: the recorder's receipt, and where it goes on from. Asked without a
    piece (GET), it answers only that: a device that reloaded sends nothing twice."""
    video = selectors.get_upload(request.user, video)
    if request.method == "GET":
        return JsonResponse(_upload_answer(video))
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        return _json_refusal(_("Say where this piece starts (Upload-Offset)."))
    if offset < 0:
        return _json_refusal(_("Say where this piece starts (Upload-Offset)."))
    if int(request.headers.get("Content-Length") or 0) > settings.VIDEO_CHUNK_BYTES:
        return _json_refusal(_("This piece is too large."), http_status=413)
    # Read, not request.body: the body would stay on the request, which Django's
    # authentication middleware holds in a reference cycle, so each piece would outlive its
    # request until the garbage collector's next full pass (38 MB more over a 1 GB recording).
    data = request.read(settings.VIDEO_CHUNK_BYTES)
    try:
        video = services.video_receive(actor=request.user, video=video, offset=offset, data=data)
    except ValidationError as error:
        video.refresh_from_db()
        return _json_refusal(" ".join(error.messages), http_status=409, **_upload_answer(video))
    return JsonResponse(_upload_answer(video))


@require_POST
def upload_finish(request, video):
    video = selectors.get_upload(request.user, video)
    try:
        video = services.video_finish(actor=request.user, video=video)
    except ValidationError as error:
        return _json_refusal(" ".join(error.messages), http_status=409, **_upload_answer(video))
    return JsonResponse(_upload_answer(video))


@_allowing("fullscreen")
def video_detail(request, video):
    """Watch, with the comments and the talk timeline; for its teacher, what is being made
    of it while the worker runs."""
    video = selectors.get_video(request.user, video)
    services.log_video(request.user, video, AccessEvent.Action.READ)
    clip_only = selectors.sees_clip_only(request.user, video)
    comments = list(selectors.comments_seen_by(request.user, video))
    talk = video.talk or []
    start, end = (video.clip_start, video.clip_end) if clip_only else (0.0, video.duration or 0.0)
    for comment in comments:
        # On the clip's own clock for whoever plays the clip.
        comment.at = comment.moment - start
    context = {
        "video": video,
        "is_owner": video.owner_id == request.user.pk,
        "clip_only": clip_only,
        "comments": comments,
        "talk": _timeline(talk, start, end),
        "span": max(end - start, 0.01),
        # What this reader plays: the clip's length for whoever is shown the clip.
        "length": end - start,
        "comment_form": VideoCommentForm(look_fors=selectors.look_fors_for(video)),
    }
    if request.htmx and request.GET.get("status"):
        response = render(request, "video/_status.html", context)
        if video.status in (Video.Status.READY, Video.Status.FAILED):
            response["HX-Refresh"] = "true"  # the whole page now has a player, or not
        return response
    return render(request, "video/video_detail.html", context)


def _timeline(talk, start: float, end: float) -> list[tuple[float, float]]:
    """Talk segments within [start, end], on that span's own clock."""
    return [
        (max(a, start) - start, min(b, end) - max(a, start))
        for a, b in talk
        if b > start and a < end
    ]


def video_file(request, video):
    video = selectors.get_video(request.user, video)
    if not video.is_ready:
        raise Http404
    name = video.clip_file if selectors.sees_clip_only(request.user, video) else video.file
    if not name:
        raise Http404  # the clip is still being cut
    # A seek asks again from the middle: one line for the watching, not one per seek.
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        services.log_video(request.user, video, AccessEvent.Action.READ)
    return send_video_file(request, name, "video/mp4" if video.has_video else "audio/mp4")


def video_poster(request, video):
    video = selectors.get_video(request.user, video)
    if not video.poster or selectors.sees_clip_only(request.user, video):
        raise Http404  # a poster is a frame of the whole lesson, maybe not of the clip
    return send_video_file(request, video.poster, "image/jpeg")


class VideoShareView(ServiceFormView):
    template_name = "video/video_share.html"
    form_class = VideoShareForm

    def setup_objects(self, request, video):
        self.video = selectors.get_own_video(request.user, video)
        self.team = len(teachers_now(self.video.cycle.partnership) - {request.user.pk}) > 0

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.team}

    def get_initial(self):
        video = self.video
        return {
            "with_coach": video.share_with_coach,
            "with_team": video.share_with_team,
            "clip_start": _clock(video.clip_start),
            "clip_end": _clock(video.clip_end),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(video=self.video, **kwargs)

    def perform(self, data):
        return services.video_share(
            actor=self.request.user,
            video=self.video,
            with_coach=data["with_coach"],
            with_team=data.get("with_team", False),
            clip_start=data["clip_start"],
            clip_end=data["clip_end"],
        )

    def success_url_for(self, video):
        messages.success(self.request, _("Sharing saved."))
        return reverse("video:detail", args=[video.pk])


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def video_delete(request, video):
    video = selectors.get_own_video(request.user, video)
    if request.method == "GET":
        return render(request, "video/video_delete.html", {"video": video})
    return run_action(
        request,
        lambda: services.video_delete(actor=request.user, video=video),
        success_message=_("Video deleted, with its comments and every copy of it."),
        redirect_to=reverse("video:list"),
    )


@require_POST
def comment_add(request, video):
    video = selectors.get_video(request.user, video)
    form = VideoCommentForm(request.POST, look_fors=selectors.look_fors_for(video))
    if form.is_valid():
        data = form.cleaned_data
        clip_only = selectors.sees_clip_only(request.user, video)
        moment = data["moment"] + (video.clip_start if clip_only else 0)
        try:
            services.video_comment(
                actor=request.user,
                video=video,
                moment=moment,
                text=data["text"],
                kind=data["kind"],
                look_for=data.get("look_for"),
                clip_only=clip_only,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("video:detail", video.pk)


@require_POST
def comment_delete(request, video, comment):
    video = selectors.get_video(request.user, video)
    comment = selectors.comments_seen_by(request.user, video).filter(pk=comment).first()
    if comment is None:
        raise Http404
    require_perm(request, "video.delete_comment", comment)
    return run_action(
        request,
        lambda: services.video_comment_delete(actor=request.user, comment=comment),
        success_message=_("Comment deleted."),
        redirect_to=reverse("video:detail", args=[video.pk]),
    )
