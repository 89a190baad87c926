"""Each role's home: the one place that gathers a person's day from every app."""

import uuid
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.middleware import set_active_membership
from accounts.models import Membership
from accounts.selectors import invitations_waiting_for
from coaching import selectors as coaching
from coaching.forms import ActivityEntryForm
from coaching.models import Meeting, NextStep, Partnership
from core.templatetags.navigation import path as link
from core.views import require_role, with_submission_key
from cycles import selectors as cycles
from cycles.charts import progress_chart
from cycles.prompts import PROMPTS_BY_PHASE
from cycles.rules import cycle_permissions
from observations import selectors as observations
from observations.access import log_access
from observations.models import AccessEvent, Observation
from reports import views as reports

from . import search as finding
from .forms import SearchForm

Role = Membership.Role

HOME_FOR_ROLE = {
    Role.COACH: "homes:coach",
    Role.TEACHER: "homes:teacher",
    Role.SCHOOL_ADMIN: "homes:school_admin",
    Role.DISTRICT_ADMIN: "homes:district_admin",
    Role.LEAD_COACH: "growth:lead_home",
}
LIVE = [Partnership.Status.INVITED, Partnership.Status.ACTIVE, Partnership.Status.PAUSED]


def route(request):
    """Send each person to the home of the role they are acting in."""
    if request.membership is None:
        return render(request, "homes/no_role.html")
    return redirect(HOME_FOR_ROLE[request.membership.role])


def _membership_in_role(request, role) -> Membership:
    """The person's membership in `role`, preferring the active one; 404 when they hold none.

    Opening another role's home (a bookmark, a link) makes that role the active one, so the
    navigation always matches the page.
    """
    if request.membership and request.membership.role == role:
        return request.membership
    for membership in request.memberships:
        if membership.role == role:
            set_active_membership(request, membership)
            return membership
    raise Http404


def _last_activity(moment, now) -> str:
    days = (now - moment).days
    if days == 0:
        return _("last activity today")
    return ngettext("last activity %(days)d day ago", "last activity %(days)d days ago", days) % {
        "days": days
    }


def _partnership_rows(user, partnerships, open_cycles, now) -> list[dict]:
    """The coach's partnerships as the home lists them, every value prepared here so that
    the template only places them: its busiest loop runs no tag, filter or method."""
    rows = []
    for p in partnerships:
        cycle = open_cycles.get(p.pk)
        row = {
            "pk": p.pk,
            "url": link("coaching:partnership_detail", p.pk),
            "name": p.teacher_names,
            "title": p.title,
            "status": p.status,
            "idle": _last_activity(p.last_activity_at, now),
            # Translators: read by screen readers after "Log time" on a partnership's row:
            # "Log time with Daniel Reyes".
            "log_time_with": _("with %(name)s") % {"name": p.teacher_names},
            "cycle": None,
        }
        if cycle is not None:
            cycle.partnership = p  # fetched already, teachers and all: no query to ask it
            can = cycle_permissions(user, cycle)
            goal = getattr(cycle, "goal", None)
            proposed_by = goal.proposed_by.full_name if can["accept_goal"] else ""
            row["cycle"] = {
                "url": link("cycles:detail", cycle.pk),
                "observe_url": link("observations:start_in_cycle", cycle.pk),
                "title": cycle.title,
                "phase": cycle.phase,
                "phase_label": cycle.get_phase_display(),
                "observe": can["observe"],
                "goal_proposed_by": proposed_by,
                "goal_proposed": (
                    _("Goal proposed by %(name)s: accept or change it") % {"name": proposed_by}
                    if proposed_by
                    else ""
                ),
                # One tap starts an observation; the key makes a double tap start one.
                "observe_key": uuid.uuid4(),
            }
        rows.append(row)
    return rows


def coach_home(request):
    membership = _membership_in_role(request, Role.COACH)
    school, user = membership.school, request.user
    now, today = timezone.now(), school.today()
    partnerships = list(
        coaching.partnerships_visible_to(user)
        .filter(coach=user, school=school, status__in=LIVE)
        .prefetch_related(coaching.MEMBERS_WITH_TEACHERS)
    )
    ids = [p.pk for p in partnerships]
    names = {p.pk: p.teacher_names for p in partnerships}
    first, last = coaching.week_of(today)
    week = coaching.minutes_by_kind(user, school, first_day=first, last_day=last)
    live = [p for p in partnerships if p.status != Partnership.Status.INVITED]
    # "Log time" on a partnership's row comes back here with that partnership chosen.
    log_for = next((p.pk for p in live if str(p.pk) == request.GET.get("log")), None)
    context = {
        "membership": membership,
        "rows": _partnership_rows(user, partnerships, cycles.open_cycles_of(ids), now),
        "meetings": [
            {**_labelled(meeting), "name": names[meeting["partnership_id"]]}
            for meeting in coaching.upcoming_meetings_in(ids, now=now).values(
                "pk", "kind", "starts_at", "partnership_id"
            )[:5]
        ],
        "overdue": [
            {
                **step,
                "name": names[step["partnership_id"]],
                "owner": NextStep.Owner(step["owner"]).label,
            }
            for step in coaching.open_next_steps_in(ids)
            .filter(due_on__lt=today)
            .values("text", "owner", "due_on", "partnership_id")[:10]
        ],
        "answers": list(
            observations.responses_waiting_in(user, ids).values(
                "observation_id", "teacher__full_name", "observation__observed_at"
            )[:10]
        ),
        "drafts": observations.drafts_of(user, ids),
        "week": week,
        "week_total": sum(minutes for _, minutes in week),
        "week_start": first,
        "form": with_submission_key(
            ActivityEntryForm(
                partnerships=live,
                initial={"date": today, "partnership": log_for},
            )
        ),
        "today": today,
        "role_offers": invitations_waiting_for(request.user).count(),
    }
    return render(request, "homes/coach_home.html", context)


def teacher_home(request):
    membership = _membership_in_role(request, Role.TEACHER)
    school, user = membership.school, request.user
    now, today = timezone.now(), school.today()
    ids = coaching.partnership_ids_at(user, school, as_role=Role.TEACHER)
    cycle = cycles.current_cycle_in(ids)
    goal = getattr(cycle, "goal", None) if cycle else None
    points = list(goal.progress.all()) if goal else []
    context = {
        "membership": membership,
        "invitations": list(
            coaching.invitations_for(user).values(
                "partnership_id", "partnership__title", "partnership__coach__full_name"
            )
        ),
        "feedback": list(
            observations.feedback_waiting_in(user, ids).values(
                "pk", "observed_at", "observer__full_name"
            )[:10]
        ),
        "surveys": list(
            cycles.surveys_waiting_for(user, ids, today=today).values(
                "pk", "title", "partnership__coach__full_name"
            )[:3]
        ),
        "cycle": cycle,
        # Without a cycle, the home says where the teacher's partnerships stand instead.
        "running": [] if cycle else coaching.running_partnerships_in(ids),
        "can": cycle_permissions(user, cycle) if cycle else {},
        "goal": goal,
        "points": points,
        "chart": progress_chart(goal, points) if goal and goal.chartable else None,
        "prompt": PROMPTS_BY_PHASE[cycle.phase] if cycle else None,
        # Who may tick each step is a question of its partnership's members.
        "next_steps": coaching.open_next_steps_in(ids).prefetch_related("partnership__members")[
            :10
        ],
        "meeting": _labelled(
            coaching.upcoming_meetings_in(ids, now=now).values("pk", "kind", "starts_at").first()
        ),
        "today": today,
        "role_offers": invitations_waiting_for(user).count(),
    }
    return render(request, "homes/teacher_home.html", context)


def _labelled(meeting: dict | None) -> dict | None:
    return meeting and {**meeting, "kind": Meeting.Kind(meeting["kind"]).label}


def school_admin_home(request):
    """A school administrator's home is their school's anonymised report."""
    membership = _membership_in_role(request, Role.SCHOOL_ADMIN)
    return reports.school_report(request, membership.school_id)


def district_admin_home(request):
    """A district administrator's home is the district's anonymised report."""
    membership = _membership_in_role(request, Role.DISTRICT_ADMIN)
    return reports.district_report(request, membership.district_id)


RESULTS_A_PAGE = 20


def search(request):
    """Search what is yours. Administrators have none: they read only anonymised figures."""
    require_role(request, Role.COACH, Role.TEACHER)
    form = SearchForm(request.GET)
    context = {"form": form, "page": None, "results": [], "query": ""}
    if form.is_valid() and (query := form.cleaned_data["q"].strip()):
        terms = finding.terms_of(query)
        page = Paginator(finding.results_for(request.user, terms), RESULTS_A_PAGE).get_page(
            request.GET.get("page")
        )
        results = finding.as_results(page.object_list, terms)
        _log_lessons_read(request.user, results)
        context.update(
            page=page, results=results, query=query, extra_query="&" + urlencode({"q": query})
        )
    return render(request, "homes/search.html", context)


def _log_lessons_read(user, results) -> None:
    """Words of a lesson shown in the results are a read of it, as on its page: written in
    its teacher's log of who has read their records."""
    ids = {result.observation for result in results if result.observation}
    if not ids:
        return
    lessons = Observation.objects.filter(pk__in=ids).prefetch_related("teachers")
    log_access(
        actor=user,
        action=AccessEvent.Action.READ,
        kind=AccessEvent.Kind.OBSERVATION,
        records=[(o.pk, o.observed_at, [t.pk for t in o.teachers.all()]) for o in lessons],
    )
