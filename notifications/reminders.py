"""Reminders: what is due, for whom, and its delivery, once.

`send_reminders` runs every quarter of an hour (beat). It finds what is due now, writes one
`Reminder` per person and thing (its key makes a second run find it and do nothing), mails
it at once or keeps it for that person's e-mail of the day, and sends the e-mails of the
day that are due. Each line names the people and the moment and links to the page; none
carries what anyone wrote.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.language import writing_to
from coaching.models import Meeting, NextStep, Partnership, PartnershipMember
from coaching.selectors import members_with_teachers
from cycles.models import Cycle
from outbox.mail import mail_enqueue, say_day, say_when
from outbox.models import OutboxMessage

from .models import Kind, Preference, Reminder

Delivery = Preference.Delivery
QUIET_AFTER = datetime.timedelta(days=14)
INVITATION_WAITS = datetime.timedelta(days=7)
MEETING_AHEAD = datetime.timedelta(hours=24)
# Reminders of the day, and of steps due tomorrow, go from this hour in the school's zone.
MORNING = datetime.time(7, 0)
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


@dataclass
class Due:
    # What the reminder is about, for whom ("meeting:<id>:<person>"), and which state of it
    # (the meeting's time): a new state is reminded again, even one seen before.
    about: str
    version: str
    user: object
    kind: str
    line: str
    path: str
    time_zone: str
    expires_at: datetime.datetime | None = None
    subject: str = ""


def meetings_tomorrow(now):
    """Everyone in a meeting that starts within 24 hours. Moved, it is due again: its
    version is its time."""
    meetings = (
        Meeting.objects.filter(
            held_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + MEETING_AHEAD,
            partnership__status=Partnership.Status.ACTIVE,
        )
        .select_related("partnership__school", "partnership__coach")
        .prefetch_related(members_with_teachers("partnership"))
    )
    for meeting in meetings:
        partnership, school = meeting.partnership, meeting.partnership.school
        for person in [partnership.coach, *_accepted_teachers(partnership)]:
            with writing_to(person):
                with_whom = partnership.label_for(person)
                due = Due(
                    about=f"meeting:{meeting.pk}:{person.pk}",
                    version=f"{meeting.starts_at:%Y%m%dT%H%M}",
                    user=person,
                    kind=Kind.MEETING,
                    # Translators: "Debrief meeting with Daniel Reyes, Tuesday November 24 at
                    # 2:30 pm".
                    line=_("%(meeting)s with %(people)s, %(when)s")
                    % {
                        "meeting": meeting.name,
                        "people": with_whom,
                        "when": say_when(meeting.starts_at, school),
                    },
                    path=reverse("coaching:meeting_detail", args=[meeting.pk]),
                    time_zone=school.time_zone,
                    expires_at=meeting.starts_at,
                )
            yield due


def steps_due_tomorrow(now):
    """Open next steps due tomorrow where the school is, to their owner, from 7:00 there."""
    day = now.date()
    steps = (
        NextStep.objects.filter(
            done_at__isnull=True,
            due_on__range=(day, day + datetime.timedelta(days=2)),
            partnership__status=Partnership.Status.ACTIVE,
        )
        .select_related("partnership__school", "partnership__coach")
        .prefetch_related(members_with_teachers("partnership"))
    )
    for step in steps:
        partnership, school = step.partnership, step.partnership.school
        local = timezone.localtime(now, school.zone)
        if step.due_on != local.date() + datetime.timedelta(days=1) or local.time() < MORNING:
            continue
        owners = (
            [partnership.coach]
            if step.owner == NextStep.Owner.COACH
            else _accepted_teachers(partnership)
        )
        for person in owners:
            with writing_to(person):
                due = Due(
                    about=f"step:{step.pk}:{person.pk}",
                    version=f"{step.due_on}",
                    user=person,
                    kind=Kind.STEP_DUE,
                    line=_("A next step agreed with %(people)s is due tomorrow, %(day)s")
                    % {"people": partnership.label_for(person), "day": say_day(step.due_on)},
                    path=reverse("coaching:partnership_detail", args=[partnership.pk]),
                    time_zone=school.time_zone,
                    expires_at=timezone.make_aware(
                        datetime.datetime.combine(step.due_on, datetime.time(23, 59)), school.zone
                    ),
                )
            yield due


def quiet_cycles(now) -> QuerySet[Cycle]:
    """Open cycles of running partnerships with no activity for 14 days."""
    return Cycle.objects.exclude(phase=Cycle.Phase.CLOSED).filter(
        partnership__status=Partnership.Status.ACTIVE,
        partnership__last_activity_at__lte=now - QUIET_AFTER,
    )


def cycles_gone_quiet(now):
    """Quiet cycles, to the coach, once per quiet spell: activity starts a new one."""
    cycles = quiet_cycles(now).select_related("partnership__school", "partnership__coach")
    for cycle in cycles.prefetch_related(members_with_teachers("partnership")):
        partnership, school = cycle.partnership, cycle.partnership.school
        since = partnership.last_activity_at
        with writing_to(partnership.coach):
            due = Due(
                about=f"quiet:{cycle.pk}",
                version=f"{since:%Y%m%dT%H%M%S}",
                user=partnership.coach,
                kind=Kind.CYCLE_QUIET,
                line=_("Your cycle with %(people)s has had no activity since %(day)s")
                % {"people": partnership.teacher_names, "day": say_day(school.local_date(since))},
                path=reverse("cycles:detail", args=[cycle.pk]),
                time_zone=school.time_zone,
            )
        yield due


def invitations_unanswered(now):
    """Invitations a teacher has left unanswered for 7 days: one reminder, ever."""
    places = PartnershipMember.objects.filter(
        status=PartnershipMember.Status.INVITED,
        invited_at__lte=now - INVITATION_WAITS,
        partnership__status__in=[Partnership.Status.INVITED, Partnership.Status.ACTIVE],
    ).select_related("teacher", "partnership__coach", "partnership__school")
    for place in places:
        partnership, school = place.partnership, place.partnership.school
        with writing_to(place.teacher):
            due = Due(
                about=f"invitation:{place.pk}",
                version="",
                user=place.teacher,
                kind=Kind.INVITATION,
                line=_(
                    "%(coach)s invited you to a coaching partnership on %(day)s: it waits for your "
                    "answer"
                )
                % {
                    "coach": partnership.coach.full_name,
                    "day": say_day(school.local_date(place.invited_at)),
                },
                path=reverse("coaching:partnership_detail", args=[partnership.pk]),
                time_zone=school.time_zone,
                subject=_("Tandem: %(coach)s's invitation waits for your answer")
                % {"coach": partnership.coach.full_name},
            )
        yield due


FINDERS = [meetings_tomorrow, steps_due_tomorrow, cycles_gone_quiet, invitations_unanswered]


def _accepted_teachers(partnership):
    # Read from the members prefetched with their presence: no query per meeting or step.
    return [m.teacher for m in partnership.members.all() if m.is_present]


def send_reminders(now=None) -> int:
    """Remind everyone of what is due; returns how many e-mails were owed. Safe to run
    twice, or in two workers at once: each reminder, and each day's e-mail, is sent once."""
    now = now or timezone.now()
    due = [d for finder in FINDERS for d in finder(now) if d.user.is_active]
    # Most of what is due was reminded of by an earlier run: looked up in bulk, not one by
    # one. What is new is what has no reminder yet, or whose newest one was of another
    # state (a meeting moved, even back to a time it had before).
    newest, count = {}, {}
    for start in range(0, len(due), 1000):
        abouts = {d.about for d in due[start : start + 1000]}
        for about, version in (
            Reminder.objects.filter(about__in=abouts)
            .order_by("created_at", "pk")
            .values_list("about", "version")
        ):
            newest[about], count[about] = version, count.get(about, 0) + 1
    new = [d for d in due if newest.get(d.about) != d.version]
    deliveries = {
        (user_id, kind): delivery
        for user_id, kind, delivery in Preference.objects.filter(
            user__in={d.user.pk for d in new}
        ).values_list("user_id", "kind", "delivery")
    }
    owed = 0
    for d in new:
        # The count in the key lets one state come back, and two runs at once collide.
        key = f"{d.about}:{d.version}:{count.get(d.about, 0)}"
        owed += _remind(d, key, deliveries.get((d.user.pk, d.kind), Delivery.IMMEDIATE), now)
    return owed + send_reminders_of_the_day(now)


def _remind(due: Due, key: str, delivery, now) -> int:
    if delivery == Delivery.OFF:
        return 0
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(
            key=key,
            defaults={
                "about": due.about,
                "version": due.version,
                "user": due.user,
                "kind": due.kind,
                "line": due.line[:300],
                "path": due.path,
                "time_zone": due.time_zone,
                "expires_at": due.expires_at,
                "created_at": now,
            },
        )
        if not created or delivery == Delivery.DAILY:
            return 0
        with writing_to(due.user):
            _mail(
                key=f"reminder:{reminder.pk}",
                user=due.user,
                kinds=[due.kind],
                subject=(due.subject or f"Tandem: {due.line}")[:200],
                lines=[(due.line, due.path)],
            )
        Reminder.objects.filter(pk=reminder.pk).update(mailed_at=now)
    return 1


def send_reminders_of_the_day(now) -> int:
    """Each person who chose "one e-mail a day" gets what waits for them, from 7:00 in the
    school's zone, at most once a day."""
    waiting = (
        Reminder.objects.filter(mailed_at__isnull=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(waiting):
        with transaction.atomic():
            reminders = list(
                Reminder.objects.select_for_update()
                .filter(user_id=user_id, mailed_at__isnull=True)
                .select_related("user")
            )
            # A meeting that has begun, a step whose day is over: no use reminding of them.
            expired = [r for r in reminders if r.expires_at and r.expires_at <= now]
            Reminder.objects.filter(pk__in=[r.pk for r in expired]).delete()
            reminders = [r for r in reminders if r not in expired]
            if not reminders:
                continue
            user = reminders[0].user
            local = timezone.localtime(now, zoneinfo.ZoneInfo(reminders[0].time_zone))
            key = f"reminders-of-the-day:{user.pk}:{local.date()}"
            if local.time() < MORNING or OutboxMessage.objects.filter(key=key).exists():
                continue  # too early there, or today's went already: tomorrow's takes these
            with writing_to(user):
                _mail(
                    key=key,
                    user=user,
                    kinds=sorted({r.kind for r in reminders}),
                    subject=ngettext(
                        "Tandem: your %(count)d reminder",
                        "Tandem: your %(count)d reminders",
                        len(reminders),
                    )
                    % {"count": len(reminders)},
                    lines=[(r.line, r.path) for r in reminders],
                )
            Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(mailed_at=now)
            sent += 1
    return sent


def kind_names(kinds) -> str:
    """Kinds of reminder as a phrase: "meetings coming up (a day before), next steps due
    tomorrow"."""
    return ", ".join(str(Kind(kind).label).lower() for kind in kinds)


def unsubscribe_token(user, kinds) -> str:
    return signing.dumps({"u": user.pk, "k": list(kinds)}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token) -> tuple[int, list[str]] | None:
    """Whose reminders a link switches off, and of which kinds; None for a token not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kinds = int(data["u"]), list(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not kinds or not set(kinds) <= set(Kind.values):
        return None
    return user_id, kinds


def unsubscribe_link(user, kinds) -> str:
    """Where one click stops e-mails of these kinds, signed in or not."""
    return settings.SITE_URL + reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user, kinds)]
    )


def unsubscribe_headers(link) -> dict:
    """What mail programs show as an "Unsubscribe" button, and POST to (RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _mail(*, key, user, kinds, subject, lines):
    """One e-mail of reminders, with a one-click unsubscribe from its kinds (a link in the
    text, and the headers mail programs show as a button)."""
    unsubscribe = unsubscribe_link(user, kinds)
    preferences = settings.SITE_URL + reverse("notifications:preferences")
    body = [_("Hello %(name)s,") % {"name": user.get_short_name()}, ""]
    for line, path in lines:
        body += [f"- {line}:", f"  {settings.SITE_URL}{path}"]
    body += [
        "",
        _("No more e-mails about %(kinds)s: %(link)s")
        % {"kinds": kind_names(kinds), "link": unsubscribe},
        _("Choose which reminders you receive, and when: %(link)s") % {"link": preferences},
        "",
        "Tandem",
        "",
    ]
    mail_enqueue(
        key=key,
        to=user.email,
        subject=subject,
        body="\n".join(body),
        headers=unsubscribe_headers(unsubscribe),
    )
