"""Each role's home: the one place that gathers a person's day from every app."""

import uuid

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.middleware import set_active_membership
from accounts.mixins import with_submission_key
from accounts.models import Membership
from coaching import selectors as coaching
from coaching.forms import ActivityEntryForm
from coaching.models import Partnership
from cycles import selectors as cycles
from cycles.charts import progress_chart
from cycles.prompts import PROMPTS_BY_PHASE
from observations import selectors as observations
from reports import views as reports

Role = Membership.Role

HOME_FOR_ROLE = {
    Role.COACH: "homes:coach",
    Role.TEACHER: "homes:teacher",
    Role.SCHOOL_ADMIN: "homes:school_admin",
    Role.DISTRICT_ADMIN: "homes:district_admin",
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


def _with_teachers(records, partnerships):
    """Give each record the partnership already fetched (teachers prefetched), so the page
    can name who it concerns without a query per row."""
    by_id = {p.pk: p for p in partnerships}
    records = list(records)
    for record in records:
        record.partnership = by_id.get(record.partnership_id, record.partnership)
    return records


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
    open_cycles = cycles.open_cycles_of(ids)
    rows = [
        {
            "partnership": p,
            "cycle": open_cycles.get(p.pk),
            "idle_days": (now - p.last_activity_at).days,
            # One tap starts an observation; the key makes a double tap start one.
            "observe_key": uuid.uuid4(),
        }
        for p in partnerships
    ]
    first, last = coaching.week_of(today)
    week = coaching.minutes_by_kind(user, school, first_day=first, last_day=last)
    live = [p for p in partnerships if p.status != Partnership.Status.INVITED]
    # "Log time" on a partnership's row comes back here with that partnership chosen.
    log_for = next((p.pk for p in live if str(p.pk) == request.GET.get("log")), None)
    context = {
        "membership": membership,
        "rows": rows,
        "meetings": _with_teachers(coaching.upcoming_meetings_in(ids, now=now)[:5], partnerships),
        "overdue": _with_teachers(
            coaching.open_next_steps_in(ids).filter(due_on__lt=today)[:10], partnerships
        ),
        "answers": observations.responses_waiting_in(user, ids)[:10],
        "drafts": observations.drafts_of(user, ids)[:10],
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
        "invitations": coaching.invitations_for(user),
        "feedback": observations.feedback_waiting_in(user, ids)[:10],
        "cycle": cycle,
        "goal": goal,
        "points": points,
        "chart": progress_chart(goal, points) if goal else None,
        "prompt": PROMPTS_BY_PHASE[cycle.phase] if cycle else None,
        "next_steps": coaching.open_next_steps_in(ids)[:10],
        "meeting": coaching.upcoming_meetings_in(ids, now=now).first(),
        "today": today,
    }
    return render(request, "homes/teacher_home.html", context)


def school_admin_home(request):
    """A school administrator's home is their school's anonymised report."""
    membership = _membership_in_role(request, Role.SCHOOL_ADMIN)
    return reports.school_report(request, membership.school_id)


def district_admin_home(request):
    """A district administrator's home is the district's anonymised report."""
    membership = _membership_in_role(request, Role.DISTRICT_ADMIN)
    return reports.district_report(request, membership.district_id)
