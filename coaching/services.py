"""The coaching verbs: invite, accept, decline, pause, resume, close, meet, note, log time.

Each takes the acting person as `actor=`, checks that the record's state allows the act
(raising ValidationError with a message for the person), saves, and enqueues e-mails once
the transaction commits. Who may act at all is checked before, by the rules.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import writing_to
from accounts.models import Membership, School, User
from accounts.selectors import administered_schools
from core.locking import lock
from outbox.mail import mail_enqueue, say_when

from .models import (
    DEFAULT_AGREEMENT,
    ActivityEntry,
    CoachNote,
    Meeting,
    NextStep,
    Partnership,
    PartnershipMember,
)
from .rules import (
    meeting_cancel_refusal,
    meeting_change_refusal,
    meeting_hold_refusal,
    member_removal_refusal,
    next_step_mark_refusal,
    partnership_close_refusal,
    partnership_pause_refusal,
    partnership_resume_refusal,
    partnership_work_refusal,
)

Status = Partnership.Status
# How far from today a typed date may be: a school year covers every real meeting, due date
# or logged hour, and anything beyond is a slip of the year field (9999 would not even fit
# the database once turned into UTC).
A_YEAR = datetime.timedelta(days=366)
Member = PartnershipMember.Status


def refuse_if(refusal: str | None) -> None:
    """Refuse the act with the message its `*_refusal()` gave (rules.py), if it gave one."""
    if refusal:
        raise ValidationError(refusal)


def partnership_require_active(partnership: Partnership) -> None:
    """Refuse work in a partnership that is not running, saying why."""
    refuse_if(partnership_work_refusal(partnership))


def partnership_touch(partnership: Partnership, *, at: datetime.datetime | None = None) -> None:
    partnership.last_activity_at = at or timezone.now()
    partnership.save(update_fields=["last_activity_at"])


def _is_administrator_at(user: User, school: School) -> bool:
    return administered_schools(user).filter(pk=school.pk).exists()


@transaction.atomic
def partnership_invite(
    *,
    actor: User,
    school: School,
    teachers: list[User],
    title: str = "",
    agreement: str = DEFAULT_AGREEMENT,
) -> Partnership:
    teachers = list(teachers)
    if not Membership.objects.filter(
        user=actor, school=school, role=Membership.Role.COACH
    ).exists():
        raise ValidationError(_("You are not a coach at %(school)s.") % {"school": school})
    # Evaluator isolation: whoever evaluates at a school can never coach there.
    if _is_administrator_at(actor, school):
        raise ValidationError(
            _("You are an administrator at %(school)s, so you cannot coach its teachers.")
            % {"school": school}
        )
    if not teachers:
        raise ValidationError(_("Choose at least one teacher to invite."))
    for teacher in teachers:
        if teacher == actor:
            raise ValidationError(_("You cannot invite yourself."))
        if not Membership.objects.filter(
            user=teacher, school=school, role=Membership.Role.TEACHER
        ).exists():
            raise ValidationError(
                _("%(teacher)s does not teach at %(school)s.")
                % {"teacher": teacher, "school": school}
            )
        if _is_administrator_at(teacher, school):
            raise ValidationError(
                _(
                    "%(teacher)s is an administrator at %(school)s; coaching records stay out "
                    "of administrators' reach, so they cannot join a partnership there."
                )
                % {"teacher": teacher, "school": school}
            )
    # One invitation at a time per coach, so a double submit finds the first one below.
    lock(actor, "is_active")
    wanted = sorted(teacher.pk for teacher in teachers)
    for existing in (
        Partnership.objects.filter(coach=actor, school=school)
        .exclude(status=Status.CLOSED)
        .prefetch_related("members")
    ):
        if sorted(m.teacher_id for m in existing.members.all()) == wanted:
            names = ", ".join(str(teacher) for teacher in teachers)
            raise ValidationError(
                _("You already have a partnership with %(names)s.") % {"names": names}
            )
    partnership = Partnership(
        school=school, coach=actor, title=title.strip(), agreement=agreement.strip()
    )
    partnership.full_clean()
    partnership.save()
    members = PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, teacher=teacher) for teacher in teachers
    )
    for member in members:
        _mail_invitation(member)
    return partnership


def _mail_invitation(member: PartnershipMember) -> None:
    with writing_to(member.teacher):
        url = settings.SITE_URL + reverse(
            "coaching:partnership_detail", args=[member.partnership_id]
        )
        mail_enqueue(
            key=f"invitation:{member.pk}",
            to=member.teacher.email,
            subject=_("%(coach)s invites you to a coaching partnership")
            % {"coach": member.partnership.coach},
            body=render_to_string("coaching/email/invitation.txt", {"member": member, "url": url}),
        )


def _place_of(actor: User, partnership: Partnership) -> PartnershipMember:
    for member in partnership.members.all():
        if member.teacher_id == actor.id:
            return member
    raise ValidationError(_("You are not invited to this partnership."))


@transaction.atomic
def partnership_accept(*, actor: User, partnership: Partnership) -> Partnership:
    member = lock(_place_of(actor, partnership), "status")
    lock(partnership, "status")
    if partnership.status == Status.CLOSED:
        raise ValidationError(_("This partnership was closed before you answered."))
    if member.status != Member.INVITED:
        raise ValidationError(_("You have already answered this invitation."))
    now = timezone.now()
    member.status, member.responded_at = Member.ACCEPTED, now
    member.save(update_fields=["status", "responded_at"])
    if partnership.status == Status.INVITED:
        partnership.status, partnership.started_on = Status.ACTIVE, partnership.school.today()
        partnership.save(update_fields=["status", "started_on"])
    partnership_touch(partnership, at=now)
    return partnership


@transaction.atomic
def partnership_decline(*, actor: User, partnership: Partnership) -> Partnership:
    member = lock(_place_of(actor, partnership), "status")
    lock(partnership, "status")
    if member.status != Member.INVITED:
        raise ValidationError(_("You have already answered this invitation."))
    member.status, member.responded_at = Member.DECLINED, timezone.now()
    member.save(update_fields=["status", "responded_at"])
    if not any(m.status != Member.DECLINED for m in partnership.members.all()):
        # Nobody is left to coach: the invitation simply ends.
        partnership.status, partnership.ended_on = Status.CLOSED, partnership.school.today()
        partnership.save(update_fields=["status", "ended_on"])
    return partnership


def partnership_pause(*, actor: User, partnership: Partnership) -> Partnership:
    refuse_if(partnership_pause_refusal(partnership))
    partnership.status = Status.PAUSED
    partnership.save(update_fields=["status"])
    return partnership


def partnership_resume(*, actor: User, partnership: Partnership) -> Partnership:
    refuse_if(partnership_resume_refusal(partnership))
    partnership.status = Status.ACTIVE
    partnership.save(update_fields=["status"])
    partnership_touch(partnership)
    return partnership


@transaction.atomic
def partnership_remove_teacher(*, actor: User, member: PartnershipMember) -> None:
    """A teacher leaves a team, or its coach takes them off it. What they were part of
    stays theirs ("My records"); nothing recorded after reaches them."""
    lock(member, "status")
    partnership = lock(member.partnership, "status")
    refuse_if(member_removal_refusal(member, actor=actor))
    member.status, member.left_at = Member.LEFT, timezone.now()
    member.save(update_fields=["status", "left_at"])
    partnership_touch(partnership)
    _mail_teacher_left(actor, member)


def _mail_teacher_left(actor: User, member: PartnershipMember) -> None:
    """The other side hears of it: the teacher taken off a team, or the coach of a team
    a teacher left. Named by the people only: no words of the partnership."""
    with writing_to(member.partnership.coach if actor.id == member.teacher_id else member.teacher):
        partnership, teacher = member.partnership, member.teacher
        if actor.id == teacher.id:
            to = partnership.coach
            names = {"teacher": teacher.full_name}
            subject = _("%(teacher)s left your coaching partnership") % names
            said = _("%(teacher)s left the coaching partnership you coach them in.") % names
            url = reverse("coaching:partnership_detail", args=[partnership.pk])
        else:
            to = teacher
            names = {"coach": actor.full_name}
            subject = _("%(coach)s took you off a coaching partnership") % names
            said = (
                _(
                    "%(coach)s took you off the coaching partnership they coach you in. You no "
                    "longer see it, and nothing recorded in it from now on reaches you. What you "
                    "were part of until now stays yours, in My records."
                )
                % names
            )
            url = reverse("records:mine")
        hello = _("Hello %(name)s,") % {"name": to.get_short_name()}
        mail_enqueue(
            key=f"left-partnership:{member.pk}",
            to=to.email,
            subject=subject,
            body="\n\n".join([hello, said, settings.SITE_URL + url, "Tandem\n"]),
        )


def partnership_close(*, actor: User, partnership: Partnership) -> Partnership:
    refuse_if(partnership_close_refusal(partnership))
    partnership.status, partnership.ended_on = Status.CLOSED, partnership.school.today()
    partnership.save(update_fields=["status", "ended_on"])
    return partnership


def _check_meeting_time(partnership: Partnership, starts_at: datetime.datetime) -> None:
    try:
        day = partnership.school.local_date(starts_at)
    except OverflowError:
        day = None
    today = partnership.school.today()
    if day is None or not today - A_YEAR <= day <= today + A_YEAR:
        raise ValidationError({"starts_at": _("Choose a time within a year of today.")})


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    partnership: Partnership,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    agenda: str = "",
) -> Meeting:
    partnership_require_active(partnership)
    _check_meeting_time(partnership, starts_at)
    meeting = Meeting(
        partnership=partnership,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        agenda=agenda,
    )
    meeting.full_clean()
    meeting.save()
    partnership_touch(partnership)
    return meeting


# What places a meeting in a calendar: changing either moves it there.
MEETING_TIMING = frozenset({"starts_at", "duration_minutes"})


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields: Any) -> Meeting:
    refuse_if(meeting_change_refusal(meeting))
    if "starts_at" in fields:
        _check_meeting_time(meeting.partnership, fields["starts_at"])
    # Two edits at once must not both raise the sequence from the same number.
    lock(meeting, "sequence", *fields)
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.full_clean()
    if changed:
        # Calendars update an event whose SEQUENCE rose: a meeting that moved moves there too;
        # a new agenda or notes change nothing a calendar shows.
        if MEETING_TIMING.intersection(changed):
            meeting.sequence += 1
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=[*changed, "sequence", "updated_at"])
    partnership_touch(meeting.partnership)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> None:
    """The coach calls off a meeting not yet held: it leaves both people's pages and
    calendars, and the teachers hear of it if it was still to come."""
    lock(meeting, "held_at")
    refuse_if(meeting_cancel_refusal(meeting))
    partnership = meeting.partnership
    if meeting.starts_at > timezone.now():
        for member in partnership.members.present().select_related("teacher"):
            with writing_to(member.teacher):
                when = say_when(meeting.starts_at, partnership.school)
                mail_enqueue(
                    key=f"meeting-cancelled:{meeting.pk}:{member.teacher_id}",
                    to=member.teacher.email,
                    subject=_("%(coach)s cancelled your %(meeting)s")
                    % {"coach": actor.full_name, "meeting": meeting.name.lower()},
                    body=render_to_string(
                        "coaching/email/meeting_cancelled.txt",
                        {
                            "teacher": member.teacher,
                            "coach": actor,
                            "meeting": meeting,
                            "when": when,
                            "url": settings.SITE_URL
                            + reverse("coaching:partnership_detail", args=[partnership.pk]),
                        },
                    ),
                )
    meeting.delete()
    partnership_touch(partnership)


@transaction.atomic
def meeting_hold(*, actor: User, meeting: Meeting) -> ActivityEntry:
    """Mark a meeting as held; it logs its own minutes, so the coach never types them twice."""
    lock(meeting, "held_at")
    # A meeting still to come is refused there: its minutes would be logged on a day that
    # has not come yet.
    refuse_if(meeting_hold_refusal(meeting))
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["held_at"])
    entry = ActivityEntry.objects.create(
        coach=meeting.partnership.coach,
        school=meeting.partnership.school,
        date=meeting.partnership.school.local_date(meeting.starts_at),
        minutes=meeting.duration_minutes,
        kind=ActivityEntry.Kind.CONVERSATION,
        partnership=meeting.partnership,
        meeting=meeting,
        # A note the coach may change, written in their language of the moment.
        note=meeting.kind_name,
    )
    partnership_touch(meeting.partnership)
    return entry


@transaction.atomic
def next_step_add(
    *,
    actor: User,
    partnership: Partnership,
    text: str,
    owner: str,
    due_on: datetime.date | None = None,
    meeting: Meeting | None = None,
) -> NextStep:
    partnership_require_active(partnership)
    if actor.id != partnership.coach_id and owner != NextStep.Owner.TEACHER:
        raise ValidationError(
            _("Teachers add next steps of their own; the coach adds the coach's.")
        )
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationError(_("That meeting belongs to another partnership."))
    if due_on is not None and abs(due_on - partnership.school.today()) > A_YEAR:
        raise ValidationError({"due_on": _("Choose a due date within a year of today.")})
    step = NextStep(
        partnership=partnership,
        meeting=meeting,
        text=text.strip(),
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    step.full_clean()
    step.save()
    partnership_touch(partnership)
    return step


@transaction.atomic
def next_step_mark(*, actor: User, step: NextStep, done: bool) -> NextStep:
    refuse_if(next_step_mark_refusal(step))
    lock(step, "done_at")
    if step.is_done == done:
        return step  # already as asked: keep the time it was first done
    step.done_at = timezone.now() if done else None
    step.save(update_fields=["done_at"])
    partnership_touch(step.partnership)
    return step


def coach_note_write(*, actor: User, partnership: Partnership, text: str) -> CoachNote:
    note = CoachNote(coach=actor, partnership=partnership, text=text.strip())
    note.full_clean()
    note.save()
    return note


def _check_activity_date(school: School, day: datetime.date) -> None:
    # Time is logged for work done: not ahead of the school's today, and not so far back
    # that it could only be a slip of the year field.
    today = school.today()
    if day > today:
        raise ValidationError({"date": _("Log time for today or an earlier day.")})
    if day < today - A_YEAR:
        raise ValidationError({"date": _("Log time within the past year.")})


def _check_activity(actor: User, school: School, partnership: Partnership | None) -> None:
    if not Membership.objects.filter(
        user=actor, school=school, role=Membership.Role.COACH
    ).exists():
        raise ValidationError(_("You are not a coach at %(school)s.") % {"school": school})
    if partnership is not None and (
        partnership.coach_id != actor.id or partnership.school_id != school.pk
    ):
        raise ValidationError(_("Choose one of your own partnerships at this school."))


def activity_log(
    *,
    actor: User,
    school: School,
    date: datetime.date,
    minutes: int,
    kind: str,
    partnership: Partnership | None = None,
    note: str = "",
) -> ActivityEntry:
    _check_activity(actor, school, partnership)
    _check_activity_date(school, date)
    entry = ActivityEntry(
        coach=actor,
        school=school,
        date=date,
        minutes=minutes,
        kind=kind,
        partnership=partnership,
        note=note.strip(),
    )
    entry.full_clean()
    entry.save()
    if partnership is not None:
        # Time spent with a teacher is activity: the coach home's "last activity" says so.
        partnership_touch(partnership)
    return entry


@transaction.atomic
def activity_update(*, actor: User, entry: ActivityEntry, **fields: Any) -> ActivityEntry:
    lock(entry, "date")  # deleted meanwhile in another tab: 404, not a 500
    _check_activity(actor, entry.school, fields.get("partnership", entry.partnership))
    if fields.get("date", entry.date) != entry.date:
        _check_activity_date(entry.school, fields["date"])
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save(update_fields=list(fields))
    return entry


@transaction.atomic
def activity_delete(*, actor: User, entry: ActivityEntry) -> None:
    lock(entry, "date")
    entry.delete()
