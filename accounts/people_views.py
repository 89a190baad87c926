"""People and roles, for school and district administrators."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from . import selectors, services
from .mixins import require_role
from .models import Membership, RoleInvitation, User
from .people_forms import InviteForm, RoleForm, RosterForm, SearchForm
from .selectors import administered_districts, administered_schools

Role = Membership.Role


def _schools(request):
    require_role(request, Role.SCHOOL_ADMIN, Role.DISTRICT_ADMIN)
    return administered_schools(request.user).order_by("name")


def _districts(request):
    return administered_districts(request.user)


def _people(schools, districts):
    in_scope = Q(school__in=schools) | Q(district__in=districts)
    here = Membership.objects.filter(in_scope).select_related("school", "district")
    # A semi-join rather than a join and DISTINCT over every column of 10,000 people.
    return (
        User.objects.filter(pk__in=Membership.objects.filter(in_scope).values("user_id"))
        .order_by("full_name")
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="roles_here"))
    )


def _person(request, pk):
    """Someone with a role where the administrator acts; anyone else is 404."""
    return get_object_or_404(_people(_schools(request), _districts(request)), pk=pk)


def _is_district(request):
    return request.membership.role == Role.DISTRICT_ADMIN


def people_list(request):
    schools = _schools(request)
    people = _people(schools, _districts(request))
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people_list.html",
        {
            "page": page,
            "schools": schools,
            "search": search,
            "invited": selectors.invitations_waiting_at(schools, _districts(request))[:50],
            "query": query,
            "extra_query": f"&{urlencode({'q': query})}" if query else "",
        },
    )


def person_invite(request):
    schools = _schools(request)
    form = InviteForm(request.POST or None, schools=schools, district_admin=_is_district(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.person_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            role = result.get_role_display().lower()
            if isinstance(result, RoleInvitation):
                # Only what the administrator typed: the account is someone else's until
                # they accept.
                typed = form.cleaned_data
                messages.success(
                    request,
                    f"{typed['full_name']} ({typed['email']}) already uses Tandem elsewhere: "
                    f"they are asked to accept the {role} role at {result.place}.",
                )
                return redirect("accounts:people")
            messages.success(request, f"{result.user} is now {role} at {result.place}.")
            return redirect("accounts:person", result.user_id)
    return render(request, "accounts/person_invite.html", {"form": form})


def person_detail(request, person):
    schools = _schools(request)
    person = get_object_or_404(_people(schools, _districts(request)), pk=person)
    form = RoleForm(request.POST or None, schools=schools, district_admin=_is_district(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Role added.")
            return redirect("accounts:person", person.pk)
    context = {"person": person, "form": form, "locked": selectors.sign_in_locked(person)}
    return render(request, "accounts/person_detail.html", context)


@require_POST
def role_remove(request, membership):
    schools = _schools(request)
    districts = _districts(request)
    membership = get_object_or_404(
        Membership.objects.filter(Q(school__in=schools) | Q(district__in=districts)).select_related(
            "user", "school", "district"
        ),
        pk=membership,
    )
    try:
        services.role_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Role removed from {membership.user}.")
    if Membership.objects.filter(
        Q(school__in=schools) | Q(district__in=districts), user=membership.user
    ).exists():
        return redirect("accounts:person", membership.user_id)
    return redirect("accounts:people")


@require_POST
def person_send_welcome(request, person):
    person = _person(request, person)
    try:
        services.person_send_welcome_again(actor=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new welcome link is on its way to {person.email}.")
    return redirect("accounts:person", person.pk)


@require_POST
def person_unlock(request, person):
    person = _person(request, person)
    services.person_unlock_sign_in(actor=request.user, user=person)
    messages.success(request, f"{person} can sign in again.")
    return redirect("accounts:person", person.pk)


@require_POST
def person_set_active(request, person):
    person = _person(request, person)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(actor=request.user, user=person, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{person} {'can sign in again' if active else 'can no longer sign in'}."
        )
    return redirect("accounts:person", person.pk)


def roster_import(request):
    schools = _schools(request)
    form = RosterForm(request.POST or None, request.FILES or None, schools=schools)
    errors = []
    if request.method == "POST" and form.is_valid():
        imported, errors = services.roster_import(
            actor=request.user, school=form.cleaned_data["school"], text=form.cleaned_data["roster"]
        )
        if not errors:
            added = f"{imported.added} new role{'s' if imported.added != 1 else ''}"
            offered = (
                f"; {imported.offered} {'person' if imported.offered == 1 else 'people'} "
                "of other districts asked to accept first"
                if imported.offered
                else ""
            )
            messages.success(request, f"Roster imported: {added}{offered}.")
            return redirect(reverse("accounts:people"))
    return render(request, "accounts/roster_import.html", {"form": form, "errors": errors})


def my_invitations(request):
    """Roles offered to this person by administrators of other districts."""
    pending = selectors.invitations_waiting_for(request.user)
    return render(request, "accounts/invitations.html", {"invitations": pending})


@require_POST
def invitation_answer(request, invitation, answer):
    invitation = get_object_or_404(request.user.role_invitations, pk=invitation)
    if answer not in ("accept", "decline"):
        raise Http404
    try:
        services.role_invitation_answer(
            actor=request.user, invitation=invitation, accept=answer == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        role = invitation.get_role_display().lower()
        done = f"You are now {role} at" if answer == "accept" else "You declined the role at"
        messages.success(request, f"{done} {invitation.place}.")
    return redirect("accounts:invitations")


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invited person's first visit: choose a password through the signed link."""

    template_name = "accounts/welcome.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Welcome to Tandem: sign in.")
        return super().form_valid(form)
