from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership
from core.locking import reread
from core.spreadsheets import csv_response
from core.views import (
    ServiceFormView,
    require_perm,
    require_role,
    run_action,
    safe_next,
    save_once,
    with_submission_key,
)

from . import rules, selectors, services
from .forms import (
    ActivityEntryForm,
    CoachNoteForm,
    MeetingForm,
    MeetingUpdateForm,
    NextStepForm,
    PartnershipInviteForm,
)
from .models import Partnership
from .prompts import CONVERSATION_BY_KIND, PROMPTS_BY_KIND

Role = Membership.Role
PAGE_SIZE = 20


# Partnerships -----------------------------------------------------------------


def partnership_list(request):
    membership = require_role(request, Role.COACH, Role.TEACHER)
    partnerships = (
        selectors.partnerships_visible_to(request.user, with_invitations=True)
        .filter(school=membership.school)
        .select_related("coach")
        .prefetch_related(selectors.MEMBERS_WITH_TEACHERS)
    )
    if membership.role == Role.COACH:
        partnerships = partnerships.filter(coach=request.user)
    else:
        partnerships = partnerships.exclude(coach=request.user)
    page = Paginator(partnerships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "coaching/partnership_list.html", {"page": page, "membership": membership}
    )


class PartnershipInviteView(ServiceFormView):
    template_name = "coaching/partnership_invite.html"
    form_class = PartnershipInviteForm
    success_message = gettext_lazy(
        "Invitation sent. The partnership starts when a teacher accepts."
    )

    def setup_objects(self, request, **kwargs):
        self.membership = require_role(request, Role.COACH)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "school": self.membership.school,
            "coach": self.request.user,
        }

    def perform(self, data):
        return services.partnership_invite(
            actor=self.request.user,
            school=self.membership.school,
            teachers=data["teachers"],
            title=data["title"],
            agreement=data["agreement"],
        )

    def success_url_for(self, partnership):
        return reverse("coaching:partnership_detail", args=[partnership.pk])


def partnership_detail(request, partnership):
    partnership = selectors.get_partnership(request.user, partnership, with_invitations=True)
    if request.user.has_perm("coaching.respond_to_invitation", partnership):
        return render(request, "coaching/partnership_invitation.html", {"partnership": partnership})
    today = timezone.localdate()
    steps = list(selectors.next_steps_of(partnership)[:50])
    context = {
        "partnership": partnership,
        "cycles": partnership.cycles.select_related("focus_area"),
        "meetings": selectors.meetings_of(partnership)[:10],
        "next_steps": steps,
        "today": today,
        "can": rules.partnership_permissions(request.user, partnership),
    }
    return render(request, "coaching/partnership_detail.html", context)


def _partnership_action(request, pk, perm, service, message, *, with_invitations=False):
    partnership = selectors.get_partnership(request.user, pk, with_invitations=with_invitations)
    require_perm(request, perm, partnership)
    return run_action(
        request,
        lambda: service(actor=request.user, partnership=partnership),
        success_message=message,
        redirect_to=reverse("coaching:partnership_detail", args=[partnership.pk]),
    )


@require_POST
def partnership_accept(request, partnership):
    return _partnership_action(
        request,
        partnership,
        "coaching.respond_to_invitation",
        services.partnership_accept,
        _("Welcome to the partnership."),
        with_invitations=True,
    )


@require_POST
def partnership_decline(request, partnership):
    partnership_obj = selectors.get_partnership(request.user, partnership, with_invitations=True)
    require_perm(request, "coaching.respond_to_invitation", partnership_obj)
    try:
        services.partnership_decline(actor=request.user, partnership=partnership_obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("coaching:partnership_detail", partnership_obj.pk)
    # Declining ends the teacher's access, so there is no partnership page to go back to.
    messages.success(request, _("You declined the invitation. Your coach will be told."))
    return redirect("homes:route")


@require_POST
def partnership_pause(request, partnership):
    return _partnership_action(
        request,
        partnership,
        "coaching.manage_partnership",
        services.partnership_pause,
        _("Partnership paused."),
    )


@require_POST
def partnership_resume(request, partnership):
    return _partnership_action(
        request,
        partnership,
        "coaching.manage_partnership",
        services.partnership_resume,
        _("Partnership resumed."),
    )


@require_POST
def partnership_close(request, partnership):
    return _partnership_action(
        request,
        partnership,
        "coaching.manage_partnership",
        services.partnership_close,
        _("Partnership closed. The teacher keeps access to their records."),
    )


def partnership_remove_teacher(request, partnership, member):
    """Asked once on a page of its own, then the teacher is out of the team."""
    partnership = selectors.get_partnership(request.user, partnership)
    member = get_object_or_404(partnership.members.all(), pk=member)
    require_perm(request, "coaching.remove_teacher", member)
    leaving = member.teacher_id == request.user.id
    if request.method == "GET":
        return render(
            request,
            "coaching/partnership_remove_teacher.html",
            {"partnership": partnership, "member": member, "leaving": leaving},
        )
    try:
        services.partnership_remove_teacher(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("coaching:partnership_detail", partnership.pk)
    if leaving:
        messages.success(
            request, _("You left the partnership. What you were part of stays in My records.")
        )
        return redirect("homes:route")
    messages.success(
        request,
        _("%(name)s is no longer in this partnership.") % {"name": member.teacher.full_name},
    )
    return redirect("coaching:partnership_detail", partnership.pk)


# Meetings ---------------------------------------------------------------------


class MeetingScheduleView(ServiceFormView):
    template_name = "coaching/meeting_form.html"
    form_class = MeetingForm
    success_message = gettext_lazy("Meeting scheduled.")

    def setup_objects(self, request, partnership):
        self.partnership = selectors.get_partnership(request.user, partnership)
        require_perm(request, "coaching.manage_partnership", self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)

    def perform(self, data):
        return services.meeting_schedule(
            actor=self.request.user, partnership=self.partnership, **data
        )

    def success_url_for(self, meeting):
        return reverse("coaching:meeting_detail", args=[meeting.pk])


def meeting_detail(request, meeting):
    meeting = selectors.get_meeting(request.user, meeting)
    # One read for both lists, through the partnership, so each step knows its partnership
    # (who may tick it) without asking the database again.
    steps = list(
        selectors.next_steps_of(meeting.partnership).filter(
            Q(meeting=meeting) | Q(done_at__isnull=True)
        )
    )
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "prompts": PROMPTS_BY_KIND.get(meeting.kind, []),
        "conversation": CONVERSATION_BY_KIND.get(meeting.kind, ""),
        "next_steps": [s for s in steps if s.meeting_id == meeting.pk],
        # Every step still open in the partnership, whichever meeting it came from: what
        # the two of them said they would do is what the meeting picks up. This meeting's
        # own steps are listed with it, not twice.
        "open_steps": [s for s in steps if s.meeting_id != meeting.pk],
        "today": timezone.localdate(),
        "can": rules.meeting_permissions(request.user, meeting),
    }
    return render(request, "coaching/meeting_detail.html", context)


class MeetingUpdateView(ServiceFormView):
    template_name = "coaching/meeting_form.html"
    form_class = MeetingUpdateForm
    success_message = gettext_lazy("Meeting saved.")

    def setup_objects(self, request, meeting):
        self.meeting = selectors.get_meeting(request.user, meeting)
        require_perm(request, "coaching.change_meeting", self.meeting)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnership=self.meeting.partnership,
            meeting=self.meeting,
            prompts=PROMPTS_BY_KIND.get(self.meeting.kind, []),
            **kwargs,
        )

    def perform(self, data):
        # The form already wrote its values onto the meeting it was given.
        reread(self.meeting)
        return services.meeting_update(actor=self.request.user, meeting=self.meeting, **data)

    def success_url_for(self, meeting):
        return reverse("coaching:meeting_detail", args=[meeting.pk])


@require_POST
def meeting_hold(request, meeting):
    meeting = selectors.get_meeting(request.user, meeting)
    require_perm(request, "coaching.change_meeting", meeting)
    return run_action(
        request,
        lambda: services.meeting_hold(actor=request.user, meeting=meeting),
        success_message=ngettext(
            "Marked as held. %(minutes)s minutes were added to your activity log; you can "
            "change them there.",
            "Marked as held. %(minutes)s minutes were added to your activity log; you can "
            "change them there.",
            meeting.duration_minutes,
        )
        % {"minutes": meeting.duration_minutes},
        redirect_to=reverse("coaching:meeting_detail", args=[meeting.pk]),
    )


def meeting_cancel(request, meeting):
    """Asked once on a page of its own, then the meeting is gone."""
    meeting = selectors.get_meeting(request.user, meeting)
    require_perm(request, "coaching.change_meeting", meeting)
    refusal = rules.meeting_cancel_refusal(meeting)
    if request.method == "GET" and refusal:
        messages.error(request, refusal)
        return redirect("coaching:meeting_detail", meeting.pk)
    if request.method == "GET":
        return render(
            request,
            "coaching/meeting_cancel.html",
            {"meeting": meeting, "now": timezone.now()},
        )
    return run_action(
        request,
        lambda: services.meeting_cancel(actor=request.user, meeting=meeting),
        success_message=_("%(meeting)s cancelled.") % {"meeting": meeting.name},
        redirect_to=reverse("coaching:partnership_detail", args=[meeting.partnership_id]),
    )


# Next steps -------------------------------------------------------------------


class NextStepAddView(ServiceFormView):
    template_name = "coaching/next_step_form.html"
    form_class = NextStepForm
    success_message = gettext_lazy("Next step added.")

    def setup_objects(self, request, partnership):
        self.partnership = selectors.get_partnership(request.user, partnership)
        require_perm(request, "coaching.add_next_step", self.partnership)

    def get_initial(self):
        meeting = self.request.GET.get("meeting")
        return {"meeting": meeting} if meeting else {}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "partnership": self.partnership,
            # A teacher adds steps of their own; the coach chooses whose.
            "for_teacher": not self.request.user.has_perm(
                "coaching.manage_partnership", self.partnership
            ),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)

    def perform(self, data):
        return services.next_step_add(
            actor=self.request.user,
            partnership=self.partnership,
            text=data["text"],
            owner=data.get("owner", "teacher"),
            due_on=data["due_on"],
            meeting=data["meeting"],
        )

    def success_url_for(self, step):
        if step.meeting_id:
            return reverse("coaching:meeting_detail", args=[step.meeting_id])
        return reverse("coaching:partnership_detail", args=[self.partnership.pk])


@require_POST
def next_step_toggle(request, next_step):
    step = selectors.get_next_step(request.user, next_step)
    require_perm(request, "coaching.tick_next_step", step)
    # The form says which way it was tapped, so a double tap does not undo itself.
    wanted = request.POST.get("done")
    done = wanted == "1" if wanted in ("0", "1") else not step.is_done
    return run_action(
        request,
        lambda: services.next_step_mark(actor=request.user, step=step, done=done),
        success_message=_("Next step done.") if done else _("Next step reopened."),
        redirect_to=safe_next(
            request, reverse("coaching:partnership_detail", args=[step.partnership_id])
        ),
        partial="coaching/_next_step_row.html",
        context={"step": step, "today": timezone.localdate()},
    )


# Coach notes ------------------------------------------------------------------


def coach_notes(request, partnership):
    partnership = selectors.get_partnership(request.user, partnership)
    # A teacher must not even learn that notes exist: 404, as for anything not theirs.
    if not request.user.has_perm("coaching.write_coach_notes", partnership):
        raise Http404
    form = with_submission_key(CoachNoteForm(request.POST or None))
    if request.method == "POST" and form.is_valid():

        def write(data):
            services.coach_note_write(
                actor=request.user, partnership=partnership, text=data["text"]
            )
            return reverse("coaching:coach_notes", args=[partnership.pk])

        response, saved = save_once(request, form, write)
        if saved:
            messages.success(request, _("Note saved. Only you can read it."))
        return response
    notes = selectors.coach_notes_of(request.user, partnership)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/coach_notes.html",
        {"partnership": partnership, "form": form, "page": page},
    )


# Activity log -----------------------------------------------------------------


def _coach_partnerships(request, membership):
    return (
        selectors.partnerships_visible_to(request.user)
        .filter(coach=request.user, school=membership.school)
        .exclude(status__in=[Partnership.Status.CLOSED, Partnership.Status.INVITED])
    )


def activity_list(request):
    membership = require_role(request, Role.COACH)
    entries = selectors.activity_of(request.user, membership.school)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    first, last = selectors.week_of(membership.school.today())
    week = selectors.minutes_by_kind(
        request.user, membership.school, first_day=first, last_day=last
    )
    form = with_submission_key(
        ActivityEntryForm(
            partnerships=_coach_partnerships(request, membership),
            initial={"date": membership.school.today()},
        )
    )
    context = {
        "page": page,
        "week": week,
        "week_total": sum(minutes for label, minutes in week),
        "week_start": first,
        "form": form,
    }
    return render(request, "coaching/activity_list.html", context)


@require_GET
def activity_export(request):
    """The coach's whole activity log at this school, for their own records."""
    membership = require_role(request, Role.COACH)
    entries = selectors.activity_of(request.user, membership.school).order_by("date", "pk")
    rows = (
        [
            entry.date.isoformat(),
            entry.minutes,
            entry.get_kind_display(),
            entry.partnership.label if entry.partnership else "",
            entry.note,
        ]
        for entry in entries.iterator(chunk_size=1000)
    )
    # The coach opens it in a spreadsheet, in their language; nothing reads it back.
    header = [
        pgettext("activity CSV column", "date"),
        pgettext("activity CSV column", "minutes"),
        pgettext("activity CSV column", "kind"),
        # Translators: the column of the teachers the time was spent with.
        pgettext("activity CSV column", "with"),
        pgettext("activity CSV column", "note"),
    ]
    # Translators: the downloaded file's name, made safe for files (tandem-activity-…).
    filename = _("tandem activity %(school)s %(day)s") % {
        "school": membership.school.name,
        "day": membership.school.today(),
    }
    return csv_response(filename, header, rows)


class ActivityFormView(ServiceFormView):
    template_name = "coaching/activity_form.html"
    form_class = ActivityEntryForm

    def setup_objects(self, request, **kwargs):
        self.membership = require_role(request, Role.COACH)
        self.entry = None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "partnerships": _coach_partnerships(self.request, self.membership),
            "instance": self.entry,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def success_url_for(self, entry):
        return safe_next(self.request, reverse("coaching:activity_list"))


class ActivityLogView(ActivityFormView):
    def perform(self, data):
        self.logged = services.activity_log(
            actor=self.request.user, school=self.membership.school, **data
        )
        return self.logged

    @property
    def success_message(self):
        # Logged in one tap, so the message says exactly what was logged and how to change it.
        entry = self.logged
        said = {
            "minutes": entry.minutes,
            "kind": entry.get_kind_display().lower(),
            "day": date_format(entry.date, _("D M j")),
        }
        if entry.partnership:
            said["names"] = entry.partnership.teacher_names
            logged = ngettext(
                "Logged %(minutes)s minutes of %(kind)s with %(names)s on %(day)s.",
                "Logged %(minutes)s minutes of %(kind)s with %(names)s on %(day)s.",
                entry.minutes,
            )
        else:
            logged = ngettext(
                "Logged %(minutes)s minutes of %(kind)s on %(day)s.",
                "Logged %(minutes)s minutes of %(kind)s on %(day)s.",
                entry.minutes,
            )
        return format_html(
            '{} <a class="alert-link" href="{}">{}</a>',
            logged % said,
            reverse("coaching:activity_update", args=[entry.pk]),
            _("Change it"),
        )


class ActivityUpdateView(ActivityFormView):
    success_message = gettext_lazy("Entry saved.")

    def setup_objects(self, request, entry):
        super().setup_objects(request)
        self.entry = selectors.get_activity_entry(request.user, self.membership.school, entry)

    def perform(self, data):
        reread(self.entry)
        return services.activity_update(actor=self.request.user, entry=self.entry, **data)


@require_POST
def activity_delete(request, entry):
    membership = require_role(request, Role.COACH)
    entry = selectors.get_activity_entry(request.user, membership.school, entry)
    services.activity_delete(actor=request.user, entry=entry)
    messages.success(request, _("Entry deleted."))
    return redirect("coaching:activity_list")
