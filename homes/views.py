"""Each role's home: the one place that gathers a person's day from every app."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.middleware import set_active_membership
from accounts.models import Membership, School

Role = Membership.Role

HOME_FOR_ROLE = {
    Role.COACH: "homes:coach",
    Role.TEACHER: "homes:teacher",
    Role.SCHOOL_ADMIN: "homes:school_admin",
    Role.DISTRICT_ADMIN: "homes:district_admin",
}


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


def _staff_counts(schools):
    return schools.annotate(
        coaches=Count("memberships", filter=Q(memberships__role=Role.COACH)),
        teachers=Count("memberships", filter=Q(memberships__role=Role.TEACHER)),
    ).order_by("name")


def coach_home(request):
    membership = _membership_in_role(request, Role.COACH)
    return render(request, "homes/coach_home.html", {"membership": membership})


def teacher_home(request):
    membership = _membership_in_role(request, Role.TEACHER)
    return render(request, "homes/teacher_home.html", {"membership": membership})


def school_admin_home(request):
    membership = _membership_in_role(request, Role.SCHOOL_ADMIN)
    school = _staff_counts(School.objects.filter(pk=membership.school_id)).get()
    return render(
        request, "homes/school_admin_home.html", {"membership": membership, "school": school}
    )


def district_admin_home(request):
    membership = _membership_in_role(request, Role.DISTRICT_ADMIN)
    schools = _staff_counts(School.objects.filter(district_id=membership.district_id))
    return render(
        request, "homes/district_admin_home.html", {"membership": membership, "schools": schools}
    )
