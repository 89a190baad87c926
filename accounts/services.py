"""People and roles: invite, assign and remove roles, deactivate, import a roster.

Administrators act only on schools they administer (`administered_schools`). Each verb
checks that, and refuses with a message a person can act on.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .mail import mail_enqueue
from .models import Membership, School, User
from .selectors import administered_districts, administered_schools

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
def person_invite(*, actor, school: School, email: str, full_name: str, role: str) -> Membership:
    """Give someone a role at a school (or, for district administrators, at the school's
    district), creating their account and inviting them if they are new."""
    _require_administrator(actor, school)
    if role == Role.DISTRICT_ADMIN:
        if not administered_districts(actor).filter(pk=school.district_id).exists():
            raise ValidationError("Only a district administrator appoints another.")
    elif role not in SCHOOL_ROLES:
        raise ValidationError("Choose coach, teacher or school administrator.")
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    _check_isolation(user, role, school)
    place = {"district": school.district} if role == Role.DISTRICT_ADMIN else {"school": school}
    membership, created = Membership.objects.get_or_create(user=user, role=role, **place)
    if not created:
        raise ValidationError(f"{user} is already {membership.get_role_display().lower()} here.")
    if not user.has_usable_password():
        _mail_welcome(user=user, inviter=actor, membership=membership)
    return membership


def _mail_welcome(*, user: User, inviter: User, membership: Membership) -> None:
    """Invite a new person to choose a password, through a signed link that expires: one
    e-mail per role they are given before they have one."""
    link = settings.SITE_URL + reverse(
        "accounts:welcome",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    mail_enqueue(
        key=f"welcome:{user.pk}:{membership.pk}",
        to=user.email,
        subject="You are invited to Tandem",
        body=(
            f"Hello {user.get_short_name()},\n\n{inviter} invited you to Tandem, where your "
            "school's coaches and teachers work together.\n\nChoose your password here (the "
            f"link works for three days):\n\n{link}\n\nTandem\n"
        ),
    )


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
    user.is_active = active
    user.save(update_fields=["is_active"])
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


def roster_read(text: str) -> tuple[list[RosterRow], list[str]]:
    """Parse a roster CSV (name, e-mail, role). Returns the rows and every error, by line."""
    reader = csv.reader(io.StringIO(text))
    rows, errors, seen = [], [], {}
    for number, record in enumerate(reader, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if number == 1 and [c.strip().lower() for c in record[:3]] in (
            ["name", "email", "role"],
            ["name", "e-mail", "role"],
        ):
            continue
        if len(record) != 3:
            errors.append(
                f"Line {number}: expected 3 columns (name, e-mail, role), found {len(record)}."
            )
            continue
        name, email, role = (cell.strip() for cell in record)
        problems = []
        if not name:
            problems.append("the name is empty")
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{email}” is not an e-mail address")
        if role.lower() not in ROLE_NAMES:
            problems.append(f"“{role}” is not a role (coach, teacher, school administrator)")
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


def roster_import(*, actor, school: School, text: str) -> tuple[int, list[str]]:
    """Import every row or none: any error, on any line, leaves everything as it was."""
    _require_administrator(actor, school)
    rows, errors = roster_read(text)
    if errors:
        return 0, errors
    imported = 0
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    existing = User.objects.filter(email__iexact=row.email).first()
                    if (
                        existing
                        and Membership.objects.filter(
                            user=existing, school=school, role=row.role
                        ).exists()
                    ):
                        continue
                    person_invite(
                        actor=actor,
                        school=school,
                        email=row.email,
                        full_name=row.full_name,
                        role=row.role,
                    )
                    imported += 1
                except ValidationError as error:
                    errors.append(f"Line {row.line}: {' '.join(error.messages)}")
            if errors:
                raise ValidationError(errors)
    except ValidationError:
        return 0, errors
    return imported, []
