"""People and roles, for school and district administrators."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from core.views import require_role

from . import selectors, services
from .models import Membership
from .people_forms import InviteForm, RoleForm, RosterForm, SearchForm
from .security import held_back_on_a_busy_network
from .selectors import administered_districts, administered_schools
from .sso import district_accounts_of, district_providers

Role = Membership.Role


def _schools(request):
    require_role(request, Role.SCHOOL_ADMIN, Role.DISTRICT_ADMIN)
    return administered_schools(request.user).order_by("name")


def _districts(request):
    return administered_districts(request.user)


def _person(request, pk):
    """Someone with a role where the administrator acts; anyone else is 404."""
    return get_object_or_404(selectors.people_in(_schools(request), _districts(request)), pk=pk)


def _is_district(request):
    return request.membership.role == Role.DISTRICT_ADMIN


def people_list(request):
    schools = _schools(request)
    people = selectors.people_in(schools, _districts(request))
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    invited = selectors.invitations_on_the_people_page(schools, _districts(request))
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
        invited = invited.filter(Q(name_typed__icontains=query) | Q(user__email__icontains=query))
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people_list.html",
        {
            "page": page,
            "schools": schools,
            "search": search,
            "invited": invited[:50],
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
            # One answer, made only of what the administrator typed, whether the address is
            # new, or already someone's in another district (who is asked, and stays a
            # stranger until they accept): whether an address uses Tandem elsewhere is not
            # for this district to learn.
            typed = form.cleaned_data
            messages.success(
                request,
                _("%(name)s (%(email)s) is invited as %(role)s at %(place)s.")
                % {
                    "name": typed["full_name"],
                    "email": typed["email"],
                    "role": result.get_role_display().lower(),
                    "place": result.place,
                },
            )
            return redirect("accounts:people")
    return render(request, "accounts/person_invite.html", {"form": form})


def person_detail(request, person):
    schools = _schools(request)
    person = get_object_or_404(selectors.people_in(schools, _districts(request)), pk=person)
    form = RoleForm(request.POST or None, schools=schools, district_admin=_is_district(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role added."))
            return redirect("accounts:person", person.pk)
    locked = selectors.sign_in_locked(person) or held_back_on_a_busy_network(person)
    context = {
        "person": person,
        "form": form,
        "locked": locked,
        "district_accounts": district_accounts_of(person),
    }
    return render(request, "accounts/person_detail.html", context)


@require_POST
def role_remove(request, membership):
    schools = _schools(request)
    districts = _districts(request)
    membership = get_object_or_404(
        selectors.roles_in(schools, districts).select_related("user", "school", "district"),
        pk=membership,
    )
    try:
        services.role_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role removed from %(person)s.") % {"person": membership.user})
    if selectors.roles_in(schools, districts).filter(user=membership.user).exists():
        return redirect("accounts:person", membership.user_id)
    return redirect("accounts:people")


@require_POST
def invitation_manage(request, invitation, act):
    """Send an invitation again, or take it back: the same for every invitation, whoever
    it went to."""
    actions = {
        "again": (
            services.invitation_send_again,
            gettext_noop("The invitation is on its way again."),
        ),
        "withdraw": (services.invitation_withdraw, gettext_noop("The invitation is withdrawn.")),
    }
    if act not in actions:
        raise Http404
    schools = _schools(request)
    invitation = get_object_or_404(
        selectors.invitations_waiting_at(schools, _districts(request)), pk=invitation
    )
    service, done = actions[act]
    try:
        service(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(done))
    return redirect("accounts:people")


@require_POST
def person_send_welcome(request, person):
    person = _person(request, person)
    try:
        services.person_send_welcome_again(actor=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new welcome link is on its way to %(email)s.") % {"email": person.email}
        )
    return redirect("accounts:person", person.pk)


@require_POST
def person_unlock(request, person):
    person = _person(request, person)
    services.person_unlock_sign_in(actor=request.user, user=person)
    messages.success(request, _("%(person)s can sign in again.") % {"person": person})
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
        done = (
            _("%(person)s can sign in again.") if active else _("%(person)s can no longer sign in.")
        )
        messages.success(request, done % {"person": person})
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
            # Roles given and roles offered are counted together: whether an address is
            # someone's in another district is not this district's to learn.
            roles = imported.added + imported.offered
            messages.success(
                request,
                ngettext(
                    "Roster imported: %(count)d role given or offered.",
                    "Roster imported: %(count)d roles given or offered.",
                    roles,
                )
                % {"count": roles},
            )
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
        done = (
            _("You are now %(role)s at %(place)s.")
            if answer == "accept"
            else _("You declined the role at %(place)s.")
        )
        messages.success(
            request,
            done % {"role": invitation.get_role_display().lower(), "place": invitation.place},
        )
    return redirect("accounts:invitations")


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invited person's first visit: choose a password through the signed link."""

    template_name = "accounts/welcome.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def get_user(self, uidb64):
        # A link whose invitation was withdrawn (or declined) no longer works: only someone
        # with a role, or one waiting for them, chooses a password here.
        user = super().get_user(uidb64)
        if user is not None and not (
            user.memberships.exists() or selectors.invitations_waiting_for(user).exists()
        ):
            return None
        return user

    def get_context_data(self, **kwargs):
        # Where the district turned passwords off, accepting is signing in with its account
        # (accounts.sso accepts what a new person was invited to).
        return super().get_context_data(
            password_sign_in=settings.PASSWORD_SIGN_IN, providers=district_providers(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_SIGN_IN and "decline" not in request.POST:
            return redirect(request.path)
        if "decline" in request.POST:
            services.decline_invitations_on_welcome(self.user)
            request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
            messages.info(
                request,
                _(
                    "You declined the invitation: no role was given to you. If you change your "
                    "mind, ask your school administrator to invite you again."
                ),
            )
            return redirect("login")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.accept_invitations_on_welcome(form.user)
        messages.success(self.request, _("Your password is set. Welcome to Tandem: sign in."))
        return response
