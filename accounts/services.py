"""People and roles: invite, assign and remove roles, deactivate, import a roster.

Administrators act only on schools they administer (`administered_schools`). Each verb
checks that, and refuses with a message a person can act on.
"""

import csv
import io
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .exports import FORMULA_STARTS
from .locking import lock
from .mail import mail_enqueue, mail_enqueue_many
from .models import Membership, RoleInvitation, School, User
from .selectors import administered_districts, administered_schools
from .validators import validate_one_line

Role = Membership.Role
SCHOOL_ROLES = [Role.COACH, Role.TEACHER, Role.SCHOOL_ADMIN]


def _require_administrator(actor, school: School) -> None:
    if not administered_schools(actor).filter(pk=school.pk).exists():
        raise ValidationError(f"You do not administer {school}.")


def _check_isolation(user: User, role: str, school: School) -> None:
    # Evaluator isolation, at the door: the two roles may never meet at one school.
    if role == Role.COACH and administered_schools(user).filter(pk=school.pk).exists():
        raise ValidationError(
            f"{user} is an administrator at {school}, so they cannot coach there."
        )
    coaching_here = Membership.objects.filter(user=user, role=Role.COACH)
    if (
        role == Role.DISTRICT_ADMIN
        and coaching_here.filter(school__district=school.district_id).exists()
    ):
        raise ValidationError(
            f"{user} coaches in {school.district}. Remove that role first: a district "
            "administrator can never coach in their own district."
        )
    if role == Role.SCHOOL_ADMIN and coaching_here.filter(school=school).exists():
        raise ValidationError(
            f"{user} coaches at {school}. Remove that role first: an administrator "
            "can never coach at their own school."
        )


@transaction.atomic
def person_invite(
    *, actor, school: School, email: str, full_name: str, role: str
) -> Membership | RoleInvitation:
    """Give someone a role at a school (or, for district administrators, at the school's
    district), creating their account and inviting them if they are new. Someone whose
    account belongs to another district is asked instead (a RoleInvitation)."""
    _require_administrator(actor, school)
    if role == Role.DISTRICT_ADMIN:
        if not administered_districts(actor).filter(pk=school.district_id).exists():
            raise ValidationError("Only a district administrator appoints another.")
    elif role not in SCHOOL_ROLES:
        raise ValidationError("Choose coach, teacher or school administrator.")
    candidate = User(email=User.objects.normalize_email(email).strip().lower())
    candidate.full_name = full_name.strip()
    candidate.full_clean(exclude=["password"], validate_unique=False)
    # get_or_create, not filter-then-save: two administrators inviting the same new address
    # at the same moment both end up with the one account the unique e-mail allows.
    user, new = User.objects.get_or_create(
        email=candidate.email,
        defaults={"full_name": candidate.full_name, "password": make_password(None)},
    )
    place = {"district": school.district} if role == Role.DISTRICT_ADMIN else {"school": school}
    if not new and _outside_district({user.email: user}, school.district_id):
        return _offer_role(
            actor=actor, user=user, role=role, name_typed=candidate.full_name, **place
        )
    _check_isolation(user, role, school)
    membership, created = Membership.objects.get_or_create(user=user, role=role, **place)
    if not created:
        raise ValidationError(f"{user} is already {membership.get_role_display().lower()} here.")
    if not user.has_usable_password():
        mail_enqueue(**_welcome(user=user, inviter=actor, membership=membership))
    return membership


def _offer_role(*, actor, user: User, role: str, name_typed: str, **place) -> RoleInvitation:
    """Ask someone of another district to take a role here. Nothing is attached to their
    account, and nothing of it is shown, until they accept."""
    invitation, created = RoleInvitation.objects.get_or_create(
        user=user,
        role=role,
        status=RoleInvitation.Status.PENDING,
        **place,
        defaults={"invited_by": actor, "name_typed": name_typed},
    )
    if created:
        mail_enqueue(**_role_offer(invitation))
    return invitation


def _role_offer(invitation: RoleInvitation) -> dict:
    role = invitation.get_role_display().lower()
    return {
        "key": f"role-invitation:{invitation.pk}",
        "to": invitation.user.email,
        "subject": f"{invitation.invited_by} invites you to {invitation.place} on Tandem",
        "body": (
            f"Hello,\n\n{invitation.invited_by} asks you to join {invitation.place} on Tandem "
            f"as {role}. Nothing changes on your account unless you accept. Sign in to "
            f"accept or decline:\n\n{settings.SITE_URL}{reverse('accounts:invitations')}"
            "\n\nTandem\n"
        ),
    }


@transaction.atomic
def role_invitation_answer(*, actor, invitation: RoleInvitation, accept: bool) -> None:
    lock(invitation, "status")
    if invitation.user_id != actor.id:
        raise ValidationError("This invitation is for someone else.")
    if invitation.status != RoleInvitation.Status.PENDING:
        raise ValidationError("You have already answered this invitation.")
    if accept:
        school = invitation.school or invitation.district.schools.first()
        if school is not None:
            _check_isolation(actor, invitation.role, school)
        place = (
            {"school": invitation.school}
            if invitation.school_id
            else {"district": invitation.district}
        )
        Membership.objects.get_or_create(user=actor, role=invitation.role, **place)
    invitation.status = RoleInvitation.Status.ACCEPTED if accept else RoleInvitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])


def _welcome(*, user: User, inviter: User, membership: Membership) -> dict:
    """The e-mail inviting a new person to choose a password, through a signed link that
    expires: one per role they are given before they have one."""
    link = settings.SITE_URL + reverse(
        "accounts:welcome",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return {
        "key": f"welcome:{user.pk}:{membership.pk}",
        "to": user.email,
        "subject": "You are invited to Tandem",
        "body": (
            f"Hello {user.get_short_name()},\n\n{inviter} invited you to Tandem, where your "
            "school's coaches and teachers work together.\n\nChoose your password here (the "
            f"link works for three days):\n\n{link}\n\nTandem\n"
        ),
    }


def role_assign(*, actor, user: User, school: School, role: str) -> Membership:
    return person_invite(
        actor=actor, school=school, email=user.email, full_name=user.full_name, role=role
    )


def role_remove(*, actor, membership: Membership) -> None:
    if membership.district_id:
        if not administered_districts(actor).filter(pk=membership.district_id).exists():
            raise ValidationError(f"You do not administer {membership.district}.")
    else:
        _require_administrator(actor, membership.school)
    if membership.user_id == actor.id and membership.role in (
        Role.SCHOOL_ADMIN,
        Role.DISTRICT_ADMIN,
    ):
        raise ValidationError("You cannot remove your own administrator role.")
    membership.delete()


def person_send_welcome_again(*, actor, user: User) -> None:
    """A fresh welcome link for someone who has not yet chosen a password (theirs expired,
    or went astray). Twice within a minute sends it once."""
    if user.has_usable_password():
        raise ValidationError(f"{user} has already chosen a password.")
    membership = (
        Membership.objects.filter(user=user)
        .filter(
            Q(school__in=administered_schools(actor))
            | Q(district__in=administered_districts(actor))
        )
        .first()
    )
    if membership is None:
        raise ValidationError(f"{user} has no role at a school you administer.")
    message = _welcome(user=user, inviter=actor, membership=membership)
    message["key"] += f":again:{timezone.now():%Y%m%d%H%M}"
    mail_enqueue(**message)


def person_sign_out_other_devices(*, actor: User, request) -> None:
    """End every session of the person but the one they are using."""
    User.objects.filter(pk=actor.pk).update(sessions_generation=F("sessions_generation") + 1)
    actor.refresh_from_db(fields=["sessions_generation"])
    update_session_auth_hash(request, actor)


def person_unlock_sign_in(*, actor, user: User) -> int:
    """Lift a sign-in lockout on someone the actor administers; returns how many were lifted."""
    from axes.utils import reset

    return reset(username=user.email)


def person_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account whose every role is at schools the actor runs."""
    if user == actor:
        raise ValidationError("You cannot deactivate your own account.")
    elsewhere = (
        Membership.objects.filter(user=user)
        .exclude(school__in=administered_schools(actor))
        .exclude(district__in=administered_districts(actor))
    )
    if elsewhere.exists():
        raise ValidationError(f"{user} also has roles elsewhere; remove their roles here instead.")
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
NAME_LIMIT = User._meta.get_field("full_name").max_length
EMAIL_LIMIT = User._meta.get_field("email").max_length


def _row_problems(name: str, email: str, role: str) -> list[str]:
    problems = []
    if not name:
        problems.append("the name is empty")
    elif len(name) > NAME_LIMIT:
        problems.append(f"the name is longer than {NAME_LIMIT} characters")
    else:
        try:
            validate_one_line(name)
        except ValidationError:
            problems.append("the name cannot contain line breaks or control characters")
        if name.startswith(FORMULA_STARTS):
            problems.append("the name cannot start with =, +, - or @")
    try:
        if len(email) > EMAIL_LIMIT:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        problems.append(f"“{email[:80]}” is not an e-mail address")
    if role.lower() not in ROLE_NAMES:
        problems.append(f"“{role[:40]}” is not a role (coach, teacher, school administrator)")
    return problems


def roster_read(text: str) -> tuple[list[RosterRow], list[str]]:
    """Parse a roster CSV (name, e-mail, role). Returns the rows and every error, by line."""
    # Spreadsheets on old Macs end lines with a bare CR, which csv refuses outright.
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
    rows, errors, seen = [], [], {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(f"Line {reader.line_num}: this line cannot be read ({error}).")
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
            errors.append(
                f"Line {number}: expected 3 columns (name, e-mail, role), found {len(record)}."
            )
            continue
        name, email, role = (cell.strip() for cell in record)
        problems = _row_problems(name, email, role)
        if email.lower() in seen:
            problems.append(f"{email} already appears on line {seen[email.lower()]}")
        seen.setdefault(email.lower(), number)
        if problems:
            errors.append(f"Line {number}: {'; '.join(problems)}.")
        else:
            rows.append(RosterRow(number, name, email.lower(), ROLE_NAMES[role.lower()]))
    if not rows and not errors:
        errors.append("The file has no rows.")
    return rows, errors


def _in_chunks(items, size=1000):
    # SQLite allows a limited number of parameters in one query.
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _roster_conflicts(rows: list[RosterRow], people: dict, school: School) -> list[str]:
    """Evaluator isolation for every row at once: the same rules as `_check_isolation`."""
    ids = [user.pk for user in people.values()]
    administrators, coaches = set(), set()
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
        if row.role == Role.COACH and user.pk in administrators:
            errors.append(
                f"Line {row.line}: {user} is an administrator at {school}, "
                "so they cannot coach there."
            )
        if row.role == Role.SCHOOL_ADMIN and user.pk in coaches:
            errors.append(
                f"Line {row.line}: {user} coaches at {school}. Remove that role first: an "
                "administrator can never coach at their own school."
            )
    return errors


def _outside_district(people: dict, district_id: int) -> set[int]:
    """Ids of the existing accounts that hold no role anywhere in the district."""
    ids = [user.pk for user in people.values()]
    inside = set()
    for chunk in _in_chunks(ids):
        inside.update(
            Membership.objects.filter(user__in=chunk)
            .filter(Q(school__district=district_id) | Q(district=district_id))
            .values_list("user_id", flat=True)
        )
    return set(ids) - inside


class Imported(NamedTuple):
    added: int  # roles given
    offered: int  # roles offered to people of other districts, until they accept


NOTHING = Imported(0, 0)


def _roster_write(actor, school: School, rows: list[RosterRow]) -> tuple[Imported, list[str]]:
    people = {}
    for chunk in _in_chunks([row.email for row in rows]):
        people.update((user.email, user) for user in User.objects.filter(email__in=chunk))
    # People of other districts are asked, as by the invitation form, not given roles.
    outsiders = _outside_district(people, school.district_id)
    offers = [row for row in rows if row.email in people and people[row.email].pk in outsiders]
    rows = [row for row in rows if row not in offers]
    for row in offers:
        user = people.pop(row.email)
        _offer_role(actor=actor, user=user, role=row.role, name_typed=row.full_name, school=school)
    errors = _roster_conflicts(rows, people, school)
    if errors:
        return NOTHING, errors
    new = [
        User(email=row.email, full_name=row.full_name, password=make_password(None))
        for row in rows
        if row.email not in people
    ]
    User.objects.bulk_create(new, batch_size=1000)
    people.update((user.email, user) for user in new)
    held = set()
    for chunk in _in_chunks([user.pk for user in people.values()]):
        held.update(
            Membership.objects.filter(user__in=chunk, school=school).values_list("user_id", "role")
        )
    memberships = [
        Membership(user=people[row.email], school=school, role=row.role)
        for row in rows
        if (people[row.email].pk, row.role) not in held
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    mail_enqueue_many(
        [
            _welcome(user=m.user, inviter=actor, membership=m)
            for m in memberships
            if not m.user.has_usable_password()
        ]
    )
    return Imported(len(memberships), len(offers)), []


def roster_import(*, actor, school: School, text: str) -> tuple[Imported, list[str]]:
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
                    "Someone changed these people while the file was imported: try again."
                ]
    raise AssertionError("unreachable")
