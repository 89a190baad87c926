"""A person's meetings as an iCalendar feed, for Google Calendar, Outlook and the rest.

Each meeting keeps its UID (its id), so a moved meeting moves in the calendar; a meeting
that is no longer the person's (a partnership they left) drops out. Each event names the
kind of meeting and the people; agendas and notes stay in Tandem.
"""

import datetime

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from coaching.models import Meeting, PartnershipMember
from coaching.selectors import partnerships_visible_to

# Far enough back for "when did we last meet", and every meeting ahead.
HISTORY = datetime.timedelta(days=180)


def meetings_for_feed(user):
    return (
        Meeting.objects.filter(
            partnership__in=partnerships_visible_to(user),
            starts_at__gte=timezone.now() - HISTORY,
        )
        .select_related("partnership__coach", "partnership__school")
        .prefetch_related(
            Prefetch(
                "partnership__members",
                queryset=PartnershipMember.objects.select_related("teacher"),
            )
        )
        .order_by("starts_at")
    )


def calendar_of(user) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Coaching meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Tandem meetings")
    # Calendar programs ask again about this often (Outlook honours it; Google decides).
    calendar.add("refresh-interval;value=duration", "PT1H")
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for meeting in meetings_for_feed(user):
        partnership = meeting.partnership
        event = icalendar.Event()
        event.add("uid", f"{meeting.pk}@tandem")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes))
        event.add(
            "summary",
            f"{meeting.name} with {partnership.label_for(user)}",
        )
        event.add("location", partnership.school.name)
        event.add("url", settings.SITE_URL + reverse("coaching:meeting_detail", args=[meeting.pk]))
        calendar.add_component(event)
    return calendar.to_ical()
