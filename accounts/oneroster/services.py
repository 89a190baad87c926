"""The verbs of rosters: preview a package, apply it, and read the roster folder.

A package goes through two steps. `roster_package_preview` reads it and records what it
would change (a `RosterImport`, holding the staff extract, never the package), without
changing anything else. `roster_package_apply` works the plan out again from the extract,
compares it with what the preview showed, and carries it out in one transaction: all or
nothing. The roster folder's nightly run and the management command do both in turn.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from core.locking import lock
from outbox.mail import mail_enqueue

from ..language import writing_to
from ..models import District, Membership, RosteredPerson, RosterImport, School, Term, User
from ..selectors import administered_districts
from ..services import offer_role
from .planning import Plan, chunks, describe, plan_package
from .reading import (
    MAX_PACKAGE_BYTES,
    KnownDistrict,
    Package,
    Refusal,
    Refused,
    read_package,
)
from .rules import roster_apply_refusal

logger = logging.getLogger(__name__)

Role = Membership.Role
# How long a preview waits for "Apply": past it the package is uploaded again, so that
# nobody applies what they looked at yesterday.
PREVIEW_LIFETIME = timedelta(hours=1)
# A file in the roster folder changed this recently may still be arriving over SFTP.
SETTLING = timedelta(minutes=2)
# Beside each district's packages: where they go once applied or refused.
KEPT = ("applied", "refused")


def _require_district_admin(actor: User | None, district: District) -> None:
    # None is the roster folder or the command line, which the operator runs.
    if actor is not None and not administered_districts(actor).filter(pk=district.pk).exists():
        raise ValidationError(_("Only an administrator of this district imports its rosters."))


def _digest(upload: IO[bytes]) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for block in iter(lambda: upload.read(1024 * 1024), b""):
        sha.update(block)
    upload.seek(0)
    return sha.hexdigest()


def _size(upload: IO[bytes]) -> int:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "counts": plan.counts(),
        "shown": {name: rows for name, rows, _ in plan.shown()},
        "kept": plan.kept[:50],
        "district_sourced_id": plan.district_sourced_id,
    }


def roster_package_preview(
    *,
    actor: User | None,
    district: District,
    upload: IO[bytes],
    file_name: str,
    source: str = RosterImport.Source.UPLOAD,
) -> tuple[RosterImport, Plan]:
    """Read a package and record what it would change; nothing else changes."""
    _require_district_admin(actor, district)
    name = "".join(c for c in file_name if c.isprintable())[:200] or "package.zip"
    sha256 = _digest(upload)
    if _size(upload) > MAX_PACKAGE_BYTES:
        plan = Plan(
            refusals=[
                Refusal.saying(
                    gettext_noop("The package is larger than %(megabytes)s MB."),
                    {"megabytes": MAX_PACKAGE_BYTES // 2**20},
                )
            ]
        )
        package = None
    else:
        known = set(
            RosteredPerson.objects.filter(district=district).values_list("sourced_id", flat=True)
        )
        others = District.objects.exclude(pk=district.pk).exclude(sourced_id="")
        this = KnownDistrict(
            district.sourced_id, frozenset(others.values_list("sourced_id", flat=True))
        )
        try:
            package = read_package(upload, known_people=known, district=this)
        except Refused as refused:
            package, plan = None, Plan(refusals=refused.refusals)
        else:
            plan = plan_package(district, package, actor=actor, today=_today())
    ok = package is not None and not plan.refusals
    record = RosterImport.objects.create(
        district=district,
        uploaded_by=actor,
        source=source,
        file_name=name,
        sha256=sha256,
        status=RosterImport.Status.PREVIEWED if ok else RosterImport.Status.REFUSED,
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        extract=package.as_json() if ok and package is not None else None,
        plan_digest=plan.digest(),
        summary=_summary(plan),
        refusals=describe(plan.refusals),
    )
    return record, plan


def _today() -> Any:
    return timezone.localdate()


@dataclass
class Applied:
    applied: bool  # False: the district changed since the preview, which was made again
    plan: Plan


def roster_package_apply(*, actor: User | None, record: RosterImport) -> Applied:
    """Apply a previewed package, if it would still change exactly what the preview showed.

    Everything or nothing, in one transaction. When the district changed since the preview
    (someone added a role, another package was applied), nothing is applied: the preview is
    made again, for the administrator to look at before applying.
    """
    try:
        return _apply(actor, record)
    except IntegrityError:
        # Someone added one of these people (or schools) at the same moment: the whole
        # package waits, and the next preview sees them.
        raise ValidationError(
            _(
                "Someone changed these people while the package was applied: nothing was "
                "applied. Upload it again to see what it would change now."
            )
        ) from None


def _apply(actor: User | None, record: RosterImport) -> Applied:
    with transaction.atomic():
        lock(record, "status", "extract", "plan_digest", "expires_at")
        if refusal := roster_apply_refusal(actor, record):
            raise ValidationError(refusal)
        district = lock(record.district, "sourced_id")
        _require_district_admin(actor, district)
        assert record.extract is not None  # noqa: S101 - roster_apply_refusal says so
        package = Package.from_json(record.extract)
        plan = plan_package(district, package, actor=actor, today=_today())
        if plan.refusals or plan.digest() != record.plan_digest:
            record.plan_digest = plan.digest()
            record.summary = _summary(plan)
            record.refusals = describe(plan.refusals)
            if plan.refusals:
                record.status = RosterImport.Status.REFUSED
                record.extract = None
            record.save(update_fields=["plan_digest", "summary", "refusals", "status", "extract"])
            return Applied(False, plan)
        _carry_out(plan, district, actor)
        record.status = RosterImport.Status.APPLIED
        record.applied_at = timezone.now()
        record.extract = None
        record.save(update_fields=["status", "applied_at", "extract"])
        return Applied(True, plan)


def roster_package_discard(*, actor: User | None, record: RosterImport) -> None:
    """Drop a preview without applying it (its staff rows go with it)."""
    with transaction.atomic():
        lock(record, "status")
        if actor is not None and record.uploaded_by_id != actor.pk:
            raise ValidationError(_("Only whoever uploaded a package discards it."))
        if record.status == RosterImport.Status.PREVIEWED:
            record.status = RosterImport.Status.EXPIRED
            record.extract = None
            record.save(update_fields=["status", "extract"])


def _carry_out(plan: Plan, district: District, actor: User | None) -> None:
    """Make the plan's changes: in bulk, a few queries a thousand rows, except for the
    people who leave and the roles that end, whose going the other apps hear of one by one
    (a teacher who leaves leaves their partnerships, a closed account's calendar stops)."""
    now = timezone.now()
    if plan.district_sourced_id:
        district.sourced_id = plan.district_sourced_id
        district.save(update_fields=["sourced_id"])
    # Who had an account before this package: only their roles can find partnerships.
    existing = {row["pk"] for row in plan.people_match} | set(
        RosteredPerson.objects.filter(district=district).values_list("user_id", flat=True)
    )
    schools = _schools(plan, district)
    _terms(plan, district)
    people = _people(plan, district)
    ended = [row["pk"] for row in plan.roles_end]
    for chunk in chunks(ended):
        Membership.objects.filter(pk__in=chunk).delete()  # each sends post_delete
    memberships = []
    asked = {row["ask"] for row in plan.roles_add if "ask" in row}
    accounts = {user.pk: user for user in User.objects.filter(pk__in=asked)}
    for row in plan.roles_add:
        place: dict[str, Any] = (
            {"district": district}
            if row["place"] == "district"
            else {"school": schools[row["place"]]}
        )
        if "ask" in row:
            # An account that works in no school of this district is asked, as
            # person_invite asks: the role is theirs once they accept.
            offer_role(
                actor=actor,
                user=accounts[row["ask"]],
                role=row["role"],
                name_typed=row["who"],
                from_roster=True,
                **place,
            )
            continue
        user = people[row["sourced_id"]]
        memberships.append(Membership(user=user, role=row["role"], from_roster=True, **place))
    Membership.objects.bulk_create(memberships, batch_size=1000)
    for membership in memberships:
        if membership.user_id in existing and membership.role == Role.TEACHER:
            # A teacher coming back to a school comes back to its partnerships: the same
            # signal a role given on the person page sends (coaching.receivers).
            post_save.send(
                sender=Membership,
                instance=membership,
                created=True,
                raw=False,
                using="default",
                update_fields=None,
            )
    for row in plan.people_deactivate:
        user = User.objects.get(pk=row["pk"])
        user.is_active = False
        user.deactivated_at = now
        # Saved one by one, as the person page deactivates: the other apps hear of it.
        user.save(update_fields=["is_active", "deactivated_at"])
    RosteredPerson.objects.filter(
        district=district, user__in=[row["pk"] for row in plan.people_deactivate]
    ).update(deactivated_by_roster=True)
    for row in plan.people_reactivate:
        user = User.objects.get(pk=row["pk"])
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
    RosteredPerson.objects.filter(
        district=district, user__in=[row["pk"] for row in plan.people_reactivate]
    ).update(deactivated_by_roster=False)


def _schools(plan: Plan, district: District) -> dict[str, School]:
    zone = (
        School.objects.filter(district=district).values_list("time_zone", flat=True).first()
        or settings.TIME_ZONE
    )
    School.objects.bulk_create(
        [
            School(
                district=district, name=row["name"], sourced_id=row["sourced_id"], time_zone=zone
            )
            for row in plan.schools_add
        ]
    )
    changed = {row["pk"]: row for row in plan.schools_change + plan.schools_record}
    schools = list(School.objects.filter(pk__in=list(changed)))
    for school in schools:
        school.name = changed[school.pk]["name"]
        school.sourced_id = changed[school.pk]["sourced_id"]
    # Two schools swapping names would collide half-way: each takes a name of its own first.
    for school in schools:
        School.objects.filter(pk=school.pk).update(name=f"{school.pk} {school.sourced_id}"[:150])
    School.objects.bulk_update(schools, ["name", "sourced_id"])
    return {
        s.sourced_id: s for s in School.objects.filter(district=district).exclude(sourced_id="")
    }


def _terms(plan: Plan, district: District) -> None:
    Term.objects.bulk_create(
        [
            Term(
                district=district,
                name=row["name"],
                sourced_id=row["sourced_id"],
                starts_on=row["starts_on"],
                ends_on=row["ends_on"],
            )
            for row in plan.terms_add
        ]
    )
    changed = {row["pk"]: row for row in plan.terms_change + plan.terms_record}
    terms = list(Term.objects.filter(pk__in=list(changed)))
    for term in terms:
        row = changed[term.pk]
        term.name, term.sourced_id = row["name"], row["sourced_id"]
        term.starts_on, term.ends_on = row["starts_on"], row["ends_on"]
        Term.objects.filter(pk=term.pk).update(name=f"{term.pk} {term.sourced_id}"[:60])
    Term.objects.bulk_update(terms, ["name", "sourced_id", "starts_on", "ends_on"])


def _people(plan: Plan, district: District) -> dict[str, User]:
    """Every person the plan gives a role, by sourcedId."""
    wanted = {row["sourced_id"] for row in plan.roles_add if "ask" not in row}
    # No usable password and no e-mail: they sign in with the district's accounts; an
    # administrator may still send a welcome from the person page.
    unusable = make_password(None)
    adding = [row for row in plan.people_add if "ask" not in row]
    new = [User(email=row["email"], full_name=row["name"], password=unusable) for row in adding]
    User.objects.bulk_create(new, batch_size=1000)
    sids = [row["sourced_id"] for row in adding]
    links = [
        RosteredPerson(district=district, user=user, sourced_id=sid)
        for sid, user in zip(sids, new, strict=True)
    ] + [
        RosteredPerson(district=district, user_id=row["pk"], sourced_id=row["sourced_id"])
        for row in plan.people_match
    ]
    RosteredPerson.objects.bulk_create(links, batch_size=1000)
    changed = {row["pk"]: row for row in plan.people_change}
    users: list[User] = []
    for chunk in chunks(list(changed)):
        users.extend(User.objects.filter(pk__in=chunk))
    for user in users:
        user.full_name = changed[user.pk]["name"]
    User.objects.bulk_update(users, ["full_name"], batch_size=1000)
    people: dict[str, User] = {}
    for chunk in chunks(sorted(wanted)):
        for link in RosteredPerson.objects.filter(
            district=district, sourced_id__in=chunk
        ).select_related("user"):
            people[link.sourced_id] = link.user
    return people


def roster_package_import(
    *, actor: User | None, district: District, upload: IO[bytes], file_name: str, source: str
) -> tuple[RosterImport, Plan]:
    """Preview then apply at once: the roster folder's nightly run and the command line."""
    record, plan = roster_package_preview(
        actor=actor, district=district, upload=upload, file_name=file_name, source=source
    )
    if record.status == RosterImport.Status.PREVIEWED:
        result = roster_package_apply(actor=actor, record=record)
        plan = result.plan
        record.refresh_from_db()
    return record, plan


# The roster folder -------------------------------------------------------------------


def roster_folder_run() -> dict[str, int]:
    """Apply every new package of the roster folder, oldest first, and move it aside.

    The folder (ONEROSTER_DROP_DIR) holds a folder per district, named by the district's
    sourcedId (the one its first package, uploaded on the import page, made known). Each
    package is applied, or refused and its refusals kept for the import page and mailed to
    the district's administrators; then moved into `applied/` or `refused/` beside it.
    Those are emptied of packages older than ONEROSTER_KEEP_DAYS.

    Only real folders and regular files are read. Whoever may write to a district's folder
    (its SFTP account) can make a symbolic link there, to another district's packages or
    to any file the server can read: a link is left where it is, unread, and logged.
    """
    root = settings.ONEROSTER_DROP_DIR
    counts = {"applied": 0, "refused": 0}
    if not root:
        return counts
    base = Path(root)
    if not base.is_dir():
        logger.warning("The roster folder %s does not exist.", base)
        return counts
    districts = {d.sourced_id: d for d in District.objects.exclude(sourced_id="")}
    for folder in sorted(base.iterdir()):
        if not _real_folder(folder):
            continue
        district = districts.get(folder.name)
        if district is None:
            logger.warning("Roster folder %s is no district's sourcedId: left alone.", folder.name)
            continue
        if not all(_real_folder(folder / kept, missing_ok=True) for kept in KEPT):
            continue
        for status in _run_district(district, folder):
            counts[status] += 1
        _forget_old(folder)
    return counts


def _real_folder(path: Path, *, missing_ok: bool = False) -> bool:
    """A folder, not a link to one (nor a file): what else is there is logged, left alone."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return missing_ok
    if not stat.S_ISDIR(mode):
        logger.warning("Roster folder: %s is not a folder (a link?): left alone.", path)
    return stat.S_ISDIR(mode)


def _packages(folder: Path) -> list[tuple[Path, os.stat_result]]:
    """The folder's packages: regular files whose name ends in .zip, each with its lstat."""
    found = []
    for path in folder.iterdir():
        if path.suffix.lower() != ".zip":
            continue
        info = os.lstat(path)
        # A hard link is a link too: another district's package, or any file, under a
        # second name in this folder.
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            logger.warning(
                "Roster folder %s: %s is not a regular file (a link?): left alone, unread.",
                folder.name,
                path.name,
            )
            continue
        found.append((path, info))
    return sorted(found, key=lambda item: (item[1].st_mtime, item[0].name))


def _open_package(path: Path) -> IO[bytes] | None:
    """The package, opened without following a link; None if it is no longer a regular
    file (replaced since it was listed)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        logger.warning("Roster package %s could not be opened (a link?): left alone.", path)
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        logger.warning("Roster package %s is not a regular file: left alone.", path)
        return None
    return os.fdopen(descriptor, "rb")


def _run_district(district: District, folder: Path) -> list[str]:
    settled = timezone.now() - SETTLING
    done = []
    for path, info in _packages(folder):
        if info.st_mtime > settled.timestamp():
            continue  # still arriving
        upload = _open_package(path)
        if upload is None:
            continue
        try:
            with upload:
                record, _plan = roster_package_import(
                    actor=None,
                    district=district,
                    upload=upload,
                    file_name=path.name,
                    source=RosterImport.Source.FOLDER,
                )
        except Exception:
            logger.exception("Roster package %s of %s could not be imported.", path.name, district)
            record = None
        applied = record is not None and record.status == RosterImport.Status.APPLIED
        status = "applied" if applied else "refused"
        target = folder / status
        target.mkdir(exist_ok=True)
        shutil.move(str(path), str(target / f"{timezone.now():%Y%m%d-%H%M%S}-{path.name}"))
        if record is not None and not applied:
            _tell_of_refusal(record)
        logger.info("Roster package %s of %s: %s.", path.name, district, status)
        done.append(status)
    return done


def _tell_of_refusal(record: RosterImport) -> None:
    """The district's administrators hear that a package of the folder was refused; the
    page says why (the mail says no more than how many problems, and where to read them)."""
    logger.warning(
        "Roster package %s of %s refused: %s",
        record.file_name,
        record.district,
        "; ".join(str(Refusal(**r)) for r in record.refusals[:5]),
    )
    link = settings.SITE_URL + reverse("accounts:oneroster_detail", args=[record.pk])
    admins = User.objects.filter(
        is_active=True,
        memberships__district=record.district,
        memberships__role=Role.DISTRICT_ADMIN,
    ).distinct()
    count = len(record.refusals)
    for admin in admins:
        with writing_to(admin):
            mail_enqueue(
                key=f"roster-refused:{record.pk}:{admin.pk}",
                to=admin.email,
                subject=_("A roster package was not applied"),
                body=(
                    _("Hello %(name)s,") % {"name": admin.get_short_name()}
                    + "\n\n"
                    + ngettext(
                        "The roster package %(file)s from the roster folder was not applied: "
                        "%(count)d problem to fix first. Nothing changed in Tandem.",
                        "The roster package %(file)s from the roster folder was not applied: "
                        "%(count)d problems to fix first. Nothing changed in Tandem.",
                        count,
                    )
                    % {"file": record.file_name, "count": count}
                    + "\n\n"
                    + _("Read them here:")
                    + f"\n\n{link}\n\nTandem\n"
                ),
            )


def _forget_old(folder: Path) -> None:
    before = (timezone.now() - timedelta(days=settings.ONEROSTER_KEEP_DAYS)).timestamp()
    for status in KEPT:
        kept = folder / status
        if not kept.is_dir():
            continue
        for path in kept.iterdir():
            info = os.lstat(path)  # a link goes by its own age, never its target's
            if not stat.S_ISDIR(info.st_mode) and info.st_mtime < before:
                path.unlink()


def roster_imports_forget() -> int:
    """Previews past their hour lose their extract (staff rows are not kept for nothing),
    and packages older than ONEROSTER_KEEP_DAYS are forgotten: their pages name staff.
    Returns how many previews expired."""
    now = timezone.now()
    expired = RosterImport.objects.filter(
        status=RosterImport.Status.PREVIEWED, expires_at__lt=now
    ).update(status=RosterImport.Status.EXPIRED, extract=None)
    RosterImport.objects.filter(
        created_at__lt=now - timedelta(days=settings.ONEROSTER_KEEP_DAYS)
    ).delete()
    return expired
