"""People and roles: invite, assign and remove roles, deactivate, import a roster.

Administrators act only on schools they administer (`administered_schools`). Each verb
checks that, and refuses with a message a person can act on.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple, cast

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.locking import lock
from core.spreadsheets import FORMULA_STARTS
from outbox.mail import mail_enqueue, mail_enqueue_many

from .language import writing_to
from .models import District, Membership, RoleInvitation, School, User
from .selectors import administered_districts, administered_schools, invitations_waiting_at
from .text import one_line_problem

Role = Membership.Role
SCHOOL_ROLES = [Role.COACH, Role.TEACHER, Role.SCHOOL_ADMIN, Role.LEAD_COACH]


def _require_administrator(actor: User, school: School) -> None:
    if not administered_schools(actor).filter(pk=school.pk).exists():
        raise ValidationError(_("You do not administer %(place)s.") % {"place": school})


def _check_isolation(user: User, role: str, school: School) -> None:
    # Evaluator isolation, at the door: the two roles may never meet at one school.
    if role == Role.COACH and administered_schools(user).filter(pk=school.pk).exists():
        raise ValidationError(
            _("%(person)s is an administrator at %(school)s, so they cannot coach there.")
            % {"person": user, "school": school}
        )
    coaching_here = Membership.objects.filter(user=user, role=Role.COACH)
    if (
        role == Role.DISTRICT_ADMIN
        and coaching_here.filter(school__district=school.district_id).exists()
    ):
        raise ValidationError(
            _(
                "%(person)s coaches in %(district)s. Remove that role first: a district "
                "administrator can never coach in their own district."
            )
            % {"person": user, "district": school.district}
        )
    if role == Role.SCHOOL_ADMIN and coaching_here.filter(school=school).exists():
        raise ValidationError(
            _(
                "%(person)s coaches at %(school)s. Remove that role first: an administrator "
                "can never coach at their own school."
            )
            % {"person": user, "school": school}
        )


@transaction.atomic
def person_invite(
    *,
    actor: User,
    school: School,
    email: str,
    full_name: str,
    role: str,
    district_wide: bool = False,
) -> Membership | RoleInvitation:
    """Give someone a role at a school (or, for district administrators and a lead coach
    `district_wide`, at the school's district), or ask them to take it.

    Someone who already works in the district is given the role. Anyone else is asked (a
    RoleInvitation), and the role exists once they accept: a new person by choosing their
    password through the welcome e-mail, someone with an account in another district on
    their invitations page. Both look alike to the inviter, so that whether an address
    already uses Tandem elsewhere is never this district's to learn.
    """
    _require_administrator(actor, school)
    at_district = role == Role.DISTRICT_ADMIN or (role == Role.LEAD_COACH and district_wide)
    if at_district:
        if not administered_districts(actor).filter(pk=school.district_id).exists():
            raise ValidationError(_("Only a district administrator gives a role at the district."))
    elif role not in SCHOOL_ROLES:
        raise ValidationError(_("Choose coach, teacher, lead coach or school administrator."))
    candidate = User(email=User.objects.normalize_email(email).strip().lower())
    candidate.full_name = full_name.strip()
    candidate.full_clean(exclude=["password"], validate_unique=False)
    # get_or_create, not filter-then-save: two administrators inviting the same new address
    # at the same moment both end up with the one account the unique e-mail allows.
    user, _created = User.objects.get_or_create(
        email=candidate.email,
        defaults={"full_name": candidate.full_name, "password": make_password(None)},
    )
    place = {"district": school.district} if at_district else {"school": school}
    if not user.has_usable_password() or _outside_district({user.email: user}, school.district_id):
        invitation, created = offer_role(
            actor=actor, user=user, role=role, name_typed=candidate.full_name, **place
        )
        if not created:
            _refuse_second_invitation(candidate.email, invitation)
        return invitation
    _check_isolation(user, role, school)
    membership, created = Membership.objects.get_or_create(user=user, role=role, **place)
    if not created:
        raise ValidationError(
            _("%(person)s is already %(role)s here.")
            % {"person": user, "role": membership.get_role_display().lower()}
        )
    return membership


def offer_role(
    *,
    actor: User | None,
    user: User,
    role: str,
    name_typed: str,
    from_roster: bool = False,
    **place: School | District,
) -> tuple[RoleInvitation, bool]:
    """Ask someone to take a role here. Nothing is attached to their account, and nothing
    of it is shown, until they accept. Returns the invitation and whether it is new.

    `actor` None is the district's roster, from its folder or the command line."""
    invitation, created = RoleInvitation.objects.get_or_create(
        user=user,
        role=role,
        status=RoleInvitation.Status.PENDING,
        **place,
        defaults={"invited_by": actor, "name_typed": name_typed, "from_roster": from_roster},
    )
    if created:
        mail_enqueue(**_invitation_mail(invitation))
    return invitation, created


def _invitation_mail(invitation: RoleInvitation) -> dict:
    """A new person chooses their password (which accepts); anyone else accepts or declines."""
    if invitation.user.has_usable_password():
        return _role_offer(invitation)
    return _welcome(user=invitation.user, inviter=invitation.inviter, invitation=invitation)


def _refuse_second_invitation(email: str, invitation: RoleInvitation) -> None:
    """The same words for a second invitation whether the address is new or someone's in
    another district."""
    raise ValidationError(
        _(
            "%(email)s is already invited as %(role)s at %(place)s: the invitation waits for "
            "their answer."
        )
        % {
            "email": email,
            "role": invitation.get_role_display().lower(),
            "place": invitation.place,
        }
    )


def _require_waiting_here(actor: User, invitation: RoleInvitation) -> None:
    lock(invitation, "status")
    in_scope = invitations_waiting_at(administered_schools(actor), administered_districts(actor))
    if not in_scope.filter(pk=invitation.pk).exists():
        raise ValidationError(_("This invitation was answered, or is not one of yours."))


@transaction.atomic
def invitation_send_again(*, actor: User, invitation: RoleInvitation) -> None:
    """The invitation's e-mail again (a welcome link expired, a message went astray). Twice
    within a minute sends it once."""
    _require_waiting_here(actor, invitation)
    message = _invitation_mail(invitation)
    message["key"] += f":again:{timezone.now():%Y%m%d%H%M}"
    mail_enqueue(**message)


@transaction.atomic
def invitation_withdraw(*, actor: User, invitation: RoleInvitation) -> None:
    _require_waiting_here(actor, invitation)
    invitation.delete()
    user = invitation.user
    # An account made for this invitation and never used goes with it, and its welcome
    # link with it; a later invitation starts afresh.
    if (
        not user.has_usable_password()
        and not user.memberships.exists()
        and not user.role_invitations.filter(status=RoleInvitation.Status.PENDING).exists()
    ):
        user.delete()


def decline_invitations_on_welcome(user: User) -> None:
    """A new person who would rather not: what they were invited to is declined, as anyone
    else declines on their invitations page."""
    for invitation in user.role_invitations.filter(status=RoleInvitation.Status.PENDING):
        role_invitation_answer(actor=user, invitation=invitation, accept=False)


def accept_invitations_on_welcome(user: User) -> None:
    """A new person who chose their password through the welcome link accepted what they
    were invited to; one that clashes (a role kept apart from another) waits on their
    invitations page instead."""
    for invitation in user.role_invitations.filter(status=RoleInvitation.Status.PENDING):
        try:
            role_invitation_answer(actor=user, invitation=invitation, accept=True)
        except ValidationError:
            continue


def _role_offer(invitation: RoleInvitation) -> dict:
    with writing_to(invitation.user):
        said = {
            "inviter": invitation.inviter,
            "place": invitation.place,
            "role": invitation.get_role_display().lower(),
        }
        return {
            "key": f"role-invitation:{invitation.pk}",
            "to": invitation.user.email,
            "subject": _("%(inviter)s invites you to %(place)s on Tandem") % said,
            "body": (
                _("Hello,")
                + "\n\n"
                + _(
                    "%(inviter)s asks you to join %(place)s on Tandem as %(role)s. Nothing changes "
                    "on your account unless you accept. Sign in to accept or decline:"
                )
                % said
                + f"\n\n{settings.SITE_URL}{reverse('accounts:invitations')}"
                "\n\nTandem\n"
            ),
        }


@transaction.atomic
def role_invitation_answer(*, actor: User, invitation: RoleInvitation, accept: bool) -> None:
    lock(invitation, "status")
    if invitation.user_id != actor.id:
        raise ValidationError(_("This invitation is for someone else."))
    if invitation.status != RoleInvitation.Status.PENDING:
        raise ValidationError(_("You have already answered this invitation."))
    if accept:
        district = invitation.district
        school = invitation.school or (district.schools.first() if district else None)
        if school is not None:
            _check_isolation(actor, invitation.role, school)
        place = (
            {"school": invitation.school}
            if invitation.school_id
            else {"district": invitation.district}
        )
        Membership.objects.get_or_create(
            user=actor,
            role=invitation.role,
            **place,
            defaults={"from_roster": invitation.from_roster},
        )
    invitation.status = RoleInvitation.Status.ACCEPTED if accept else RoleInvitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])


def _welcome(*, user: User, inviter: User | str, invitation: RoleInvitation | Membership) -> dict:
    """The e-mail inviting a new person to choose a password, through a signed link that
    expires: one per role they are offered (or, for people invited before roles were
    offered, given) before they have one."""
    with writing_to(user):
        link = settings.SITE_URL + reverse(
            "accounts:welcome",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
        # Where the district turned passwords off, the link leads to its sign-in instead.
        step = (
            _(
                "Choose your password here (the link works for three days), or decline if you "
                "would rather not:"
            )
            if settings.PASSWORD_SIGN_IN
            else _(
                "Sign in with your district's account here (the link works for three days), or "
                "decline if you would rather not:"
            )
        )
        return {
            "key": f"welcome:{user.pk}:{invitation.pk}",
            "to": user.email,
            "subject": _("You are invited to Tandem"),
            "body": (
                _("Hello %(name)s,") % {"name": user.get_short_name()}
                + "\n\n"
                + _(
                    "%(inviter)s invited you to Tandem, where your school's coaches and teachers "
                    "work together."
                )
                % {"inviter": inviter}
                + f"\n\n{step}\n\n{link}"
                "\n\nTandem\n"
            ),
        }


def role_assign(
    *, actor: User, user: User, school: School, role: str, district_wide: bool = False
) -> Membership | RoleInvitation:
    return person_invite(
        actor=actor,
        school=school,
        email=user.email,
        full_name=user.full_name,
        role=role,
        district_wide=district_wide,
    )


def role_remove(*, actor: User, membership: Membership) -> None:
    if membership.district_id:
        if not administered_districts(actor).filter(pk=membership.district_id).exists():
            raise ValidationError(
                _("You do not administer %(place)s.") % {"place": membership.district}
            )
    else:
        # Held at a school, then (a role is held at a school or at the district).
        _require_administrator(actor, cast(School, membership.school))
    if membership.user_id == actor.id and membership.role in (
        Role.SCHOOL_ADMIN,
        Role.DISTRICT_ADMIN,
    ):
        raise ValidationError(_("You cannot remove your own administrator role."))
    membership.delete()


def person_send_welcome_again(*, actor: User, user: User) -> None:
    """A fresh welcome link for someone who has not yet chosen a password (theirs expired,
    or went astray). Twice within a minute sends it once."""
    if user.has_usable_password():
        raise ValidationError(_("%(person)s has already chosen a password.") % {"person": user})
    membership = (
        Membership.objects.filter(user=user)
        .filter(
            Q(school__in=administered_schools(actor))
            | Q(district__in=administered_districts(actor))
        )
        .first()
    )
    if membership is None:
        raise ValidationError(
            _("%(person)s has no role at a school you administer.") % {"person": user}
        )
    message = _welcome(user=user, inviter=actor, invitation=membership)
    message["key"] += f":again:{timezone.now():%Y%m%d%H%M}"
    mail_enqueue(**message)


def person_sign_out_other_devices(*, actor: User, request: HttpRequest) -> None:
    """End every session of the person but the one they are using."""
    User.objects.filter(pk=actor.pk).update(sessions_generation=F("sessions_generation") + 1)
    actor.refresh_from_db(fields=["sessions_generation"])
    update_session_auth_hash(request, actor)


def person_unlock_sign_in(*, actor: User, user: User) -> int:
    """Lift a sign-in lockout on someone the actor administers; returns how many were lifted."""
    from axes.utils import reset

    return reset(username=user.email)


def person_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account whose every role is at schools the actor runs."""
    if user == actor:
        raise ValidationError(_("You cannot deactivate your own account."))
    elsewhere = (
        Membership.objects.filter(user=user)
        .exclude(school__in=administered_schools(actor))
        .exclude(district__in=administered_districts(actor))
    )
    if elsewhere.exists():
        raise ValidationError(
            _("%(person)s also has roles elsewhere; remove their roles here instead.")
            % {"person": user}
        )
    if user.is_active != active:
        user.is_active = active
        user.deactivated_at = None if active else timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
    return user


@dataclass
class RosterRow:
    line: int
    full_name: str
    email: str
    role: str


ROLE_NAMES = {
    "coach": Role.COACH,
    "teacher": Role.TEACHER,
    "school administrator": Role.SCHOOL_ADMIN,
    "school_admin": Role.SCHOOL_ADMIN,
    "administrator": Role.SCHOOL_ADMIN,
}
NAME_LIMIT: int = User._meta.get_field("full_name").max_length or 0
EMAIL_LIMIT: int = User._meta.get_field("email").max_length or 0


def _row_problems(name: str, email: str, role: str) -> list[str]:
    # Each problem is a clause of one sentence: "Line 4 (Ada Lovelace): the name is empty;
    # the e-mail … is not a valid address."
    problems = []
    if not name:
        problems.append(_("the name is empty"))
    elif len(name) > NAME_LIMIT:
        problems.append(_("the name is longer than %(limit)d characters") % {"limit": NAME_LIMIT})
    else:
        if problem := one_line_problem(name):
            problems.append(
                _("in the name, %(problem)s")
                % {"problem": f"{problem[0].lower()}{problem[1:].rstrip('.')}"}
            )
        if name.startswith(FORMULA_STARTS):
            problems.append(_("the name cannot start with =, +, - or @"))
    try:
        if len(email) > EMAIL_LIMIT:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        problems.append(_("the e-mail “%(email)s” is not a valid address") % {"email": email[:80]})
    if role.lower() not in ROLE_NAMES:
        problems.append(
            # Translators: the roles are read in English: keep "coach, teacher, school
            # administrator" as they are.
            _("the role “%(role)s” is not one of coach, teacher, school administrator")
            % {"role": role[:40]}
        )
    return problems


def _who(name: str, email: str) -> str:
    """Whom a roster line is about, as the administrator typed it, to find it by: the name
    when it can be shown, else the e-mail; a line number alone means counting rows."""
    if (
        name
        and len(name) <= NAME_LIMIT
        and not one_line_problem(name)
        and not name.startswith(FORMULA_STARTS)
    ):
        return f" ({name})"
    if email and not one_line_problem(email):
        return f" ({email[:80]})"
    return ""


def roster_read(text: str) -> tuple[list[RosterRow], list[str]]:
    """Parse a roster CSV (name, e-mail, role). Returns the rows and every error, by line."""
    # Spreadsheets on old Macs end lines with a bare CR, which csv refuses outright.
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
    rows: list[RosterRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(
                _("Line %(line)d: this line cannot be read (%(error)s).")
                % {"line": reader.line_num, "error": error}
            )
            continue
        number = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if (
            not rows
            and not errors
            and [c.strip().lower() for c in record[:3]]
            in (
                ["name", "email", "role"],
                ["name", "e-mail", "role"],
            )
        ):
            continue
        if len(record) != 3:
            cells = [cell.strip() for cell in record]
            email = next((cell for cell in cells if "@" in cell), "")
            errors.append(
                # Translators: %(who)s is empty, or a space and the name or e-mail in brackets.
                _("Line %(line)d%(who)s: expected 3 columns (name, e-mail, role), found %(found)d.")
                % {
                    "line": number,
                    "who": _who(cells[0] if cells[0] != email else "", email),
                    "found": len(record),
                }
            )
            continue
        name, email, role = (cell.strip() for cell in record)
        problems = _row_problems(name, email, role)
        if email.lower() in seen:
            problems.append(
                _("the e-mail %(email)s already appears on line %(line)d")
                % {"email": email, "line": seen[email.lower()]}
            )
        seen.setdefault(email.lower(), number)
        if problems:
            errors.append(
                # Translators: %(who)s is empty, or a space and the name or e-mail in brackets;
                # %(problems)s are one or more clauses, joined by semicolons.
                _("Line %(line)d%(who)s: %(problems)s.")
                % {"line": number, "who": _who(name, email), "problems": "; ".join(problems)}
            )
        else:
            rows.append(RosterRow(number, name, email.lower(), ROLE_NAMES[role.lower()]))
    if not rows and not errors:
        errors.append(_("The file has no rows."))
    return rows, errors


def _in_chunks(items: list, size: int = 1000) -> Iterator[list]:
    # SQLite allows a limited number of parameters in one query.
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _roster_conflicts(rows: list[RosterRow], people: dict, school: School) -> list[str]:
    """Evaluator isolation for every row at once: the same rules as `_check_isolation`."""
    ids = [user.pk for user in people.values()]
    administrators: set[int] = set()
    coaches: set[int] = set()
    for chunk in _in_chunks(ids):
        for user_id, role in (
            Membership.objects.filter(user__in=chunk)
            .filter(
                Q(role=Role.SCHOOL_ADMIN, school=school)
                | Q(role=Role.DISTRICT_ADMIN, district=school.district_id)
                | Q(role=Role.COACH, school=school)
            )
            .values_list("user_id", "role")
        ):
            (coaches if role == Role.COACH else administrators).add(user_id)
    errors = []
    for row in rows:
        user = people.get(row.email)
        if user is None:
            continue
        who = _who(row.full_name, row.email)
        if row.role == Role.COACH and user.pk in administrators:
            errors.append(
                _(
                    "Line %(line)d%(who)s: the role coach cannot be given, since %(person)s is "
                    "an administrator at %(school)s, and so cannot coach there."
                )
                % {"line": row.line, "who": who, "person": user, "school": school}
            )
        if row.role == Role.SCHOOL_ADMIN and user.pk in coaches:
            errors.append(
                _(
                    "Line %(line)d%(who)s: the role school administrator cannot be given, since "
                    "%(person)s coaches at %(school)s. Remove that role first: an administrator "
                    "can never coach at their own school."
                )
                % {"line": row.line, "who": who, "person": user, "school": school}
            )
    return errors


def _outside_district(people: dict, district_id: int) -> set[int]:
    """Ids of the existing accounts that hold no role anywhere in the district."""
    ids = [user.pk for user in people.values()]
    inside: set[int] = set()
    for chunk in _in_chunks(ids):
        inside.update(
            Membership.objects.filter(user__in=chunk)
            .filter(Q(school__district=district_id) | Q(district=district_id))
            .values_list("user_id", flat=True)
        )
    return set(ids) - inside


class Imported(NamedTuple):
    added: int  # roles given to people already working in the district
    offered: int  # roles offered, until the person accepts (see person_invite)


NOTHING = Imported(0, 0)


def _roster_write(actor: User, school: School, rows: list[RosterRow]) -> tuple[Imported, list[str]]:
    people: dict[str, User] = {}
    for chunk in _in_chunks([row.email for row in rows]):
        people.update((user.email, user) for user in User.objects.filter(email__in=chunk))
    # As the invitation form does: people already working in the district are given their
    # roles; everyone else (new, not yet signed in, or of another district) is asked.
    asked_ids = _outside_district(people, school.district_id) | {
        user.pk for user in people.values() if not user.has_usable_password()
    }
    given = [row for row in rows if row.email in people and people[row.email].pk not in asked_ids]
    asked = [row for row in rows if row not in given]
    errors = _roster_conflicts(given, people, school)
    if errors:
        return NOTHING, errors
    new = [
        User(email=row.email, full_name=row.full_name, password=make_password(None))
        for row in asked
        if row.email not in people
    ]
    User.objects.bulk_create(new, batch_size=1000)
    people.update((user.email, user) for user in new)
    held: set[tuple] = set()
    pending: set[tuple] = set()
    for chunk in _in_chunks([user.pk for user in people.values()]):
        held.update(
            Membership.objects.filter(user__in=chunk, school=school).values_list("user_id", "role")
        )
        pending.update(
            RoleInvitation.objects.filter(
                user__in=chunk, school=school, status=RoleInvitation.Status.PENDING
            ).values_list("user_id", "role")
        )
    memberships = [
        Membership(user=people[row.email], school=school, role=row.role)
        for row in given
        if (people[row.email].pk, row.role) not in held
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    offers = [
        RoleInvitation(
            user=people[row.email],
            role=row.role,
            school=school,
            invited_by=actor,
            name_typed=row.full_name,
        )
        for row in asked
        if (people[row.email].pk, row.role) not in pending | held
    ]
    RoleInvitation.objects.bulk_create(offers, batch_size=1000)
    mail_enqueue_many([_invitation_mail(offer) for offer in offers])
    return Imported(len(memberships), len(offers)), []


def roster_import(*, actor: User, school: School, text: str) -> tuple[Imported, list[str]]:
    """Import every row or none: any error, on any line, leaves everything as it was.

    Written in bulk, so a roster of tens of thousands of rows costs a few queries per
    thousand rows rather than several per row.
    """
    _require_administrator(actor, school)
    rows, errors = roster_read(text)
    if errors:
        return NOTHING, errors
    for attempt in range(2):
        try:
            with transaction.atomic():
                imported, errors = _roster_write(actor, school, rows)
                if errors:
                    transaction.set_rollback(True)
                return imported, errors
        except IntegrityError:
            # Someone added one of these people at the same moment; a second pass sees
            # them and adds only what is still missing.
            if attempt:
                return NOTHING, [
                    _("Someone changed these people while the file was imported: try again.")
                ]
    raise AssertionError("unreachable")
