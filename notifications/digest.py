"""The Monday digest: a coach's week at each school they coach at, at 7:00 on Monday in
that school's time zone. It names people, days and counts, never what anyone wrote."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import writing_to
from accounts.models import Membership, School
from coaching import selectors as coaching
from coaching.models import Partnership
from observations.selectors import responses_waiting_in
from outbox.mail import mail_enqueue, say_day, say_when
from outbox.models import OutboxMessage

from .models import Kind, Preference
from .reminders import (
    MORNING,
    quiet_cycles,
    unsubscribe_headers,
    unsubscribe_link,
)


def digest_of(coach, school, now) -> dict:
    """What the coach's week at the school holds, as the e-mail's templates read it."""
    today = school.today()
    monday, sunday = coaching.week_of(today)
    partnerships = {
        p.pk: p
        for p in coaching.partnerships_visible_to(coach)
        .filter(coach=coach, school=school, status=Partnership.Status.ACTIVE)
        .prefetch_related(coaching.MEMBERS_WITH_TEACHERS)
    }
    ids = list(partnerships)
    week_ends = timezone.make_aware(
        datetime.datetime.combine(sunday + datetime.timedelta(days=1), datetime.time()),
        school.zone,
    )
    meetings = coaching.upcoming_meetings_in(ids, now=now).filter(starts_at__lt=week_ends)
    overdue = coaching.open_next_steps_in(ids).filter(due_on__lt=today)
    quiet = quiet_cycles(now).filter(partnership__in=ids).order_by("partnership__last_activity_at")
    last_week = coaching.minutes_by_kind(
        coach,
        school,
        first_day=monday - datetime.timedelta(days=7),
        last_day=monday - datetime.timedelta(days=1),
    )
    return {
        "coach": coach,
        "school": school,
        "monday": say_day(monday),
        "meetings": [
            {
                # Translators: "Debrief meeting with Daniel Reyes".
                "what": _("%(meeting)s with %(people)s")
                % {"meeting": m.name, "people": partnerships[m.partnership_id].teacher_names},
                "when": say_when(m.starts_at, school),
            }
            for m in meetings
        ],
        "overdue": [
            {"with": partnerships[s.partnership_id].teacher_names, "due_on": say_day(s.due_on)}
            for s in overdue
        ],
        "quiet": [
            {
                "with": partnerships[c.partnership_id].teacher_names,
                "since": say_day(
                    school.local_date(partnerships[c.partnership_id].last_activity_at)
                ),
            }
            for c in quiet
        ],
        "answers": [r.teacher.full_name for r in responses_waiting_in(coach, ids)],
        "minutes": [(label, minutes) for label, minutes in last_week if minutes],
        "minutes_total": sum(minutes for _, minutes in last_week),
        "home_url": settings.SITE_URL + reverse("homes:coach"),
        "unsubscribe_url": unsubscribe_link(coach, [Kind.DIGEST]),
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
    }


def send_digests(now=None) -> int:
    """Every coach's digest at every school where it is Monday, 7:00 or later; once."""
    now = now or timezone.now()
    sent = 0
    declined = Preference.objects.filter(kind=Kind.DIGEST, delivery=Preference.Delivery.OFF)
    for school in School.objects.all():
        local = timezone.localtime(now, school.zone)
        if local.weekday() != 0 or local.time() < MORNING:
            continue
        coaches = Membership.objects.filter(
            school=school, role=Membership.Role.COACH, user__is_active=True
        ).exclude(user__in=declined.values("user"))
        for membership in coaches.select_related("user"):
            coach = membership.user
            key = f"digest:{coach.pk}:{school.pk}:{local.date()}"
            if OutboxMessage.objects.filter(key=key).exists():
                continue  # this Monday's went already
            with writing_to(coach):
                context = digest_of(coach, school, now)
                mail_enqueue(
                    key=key,
                    to=coach.email,
                    subject=_("Your coaching week at %(school)s, from %(day)s")
                    % {"school": school.name, "day": say_day(local.date())},
                    body=render_to_string("notifications/email/digest.txt", context),
                    html=render_to_string("notifications/email/digest.html", context),
                    headers=unsubscribe_headers(context["unsubscribe_url"]),
                )
            sent += 1
    return sent
