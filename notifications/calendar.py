"""A person's meetings as an iCalendar feed, for Google Calendar, Outlook and the rest.

Each meeting keeps its UID (its id) and raises its SEQUENCE when it moves, so a moved
meeting moves in the calendar; a meeting that is no longer the person's (a partnership they
left) drops out. Each event names the kind of meeting and the people; agendas and notes stay
in Tandem.
"""

import datetime
from urllib.parse import urlencode

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import writing_to
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
    with writing_to(user):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Tandem//Coaching meetings//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Tandem meetings"))
        # Calendar programs ask again about this often (Outlook honours it; Google decides).
        calendar.add("refresh-interval;value=duration", "PT1H")
        calendar.add("x-published-ttl", "PT1H")
        for meeting in meetings_for_feed(user):
            partnership = meeting.partnership
            event = icalendar.Event()
            event.add("uid", f"{meeting.pk}@tandem")
            # With no METHOD in the feed, DTSTAMP is when the event last changed (RFC 5545
            # 3.8.7.2), not when it was fetched: with SEQUENCE, it is how a calendar tells a moved
            # meeting from the same one fetched again.
            event.add("dtstamp", meeting.updated_at)
            event.add("last-modified", meeting.updated_at)
            event.add("sequence", meeting.sequence)
            event.add("dtstart", meeting.starts_at)
            event.add(
                "dtend", meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)
            )
            event.add(
                "summary",
                # Translators: "Debrief meeting with Daniel Reyes".
                _("%(meeting)s with %(people)s")
                % {"meeting": meeting.name, "people": partnership.label_for(user)},
            )
            event.add("location", partnership.school.name)
            event.add(
                "url", settings.SITE_URL + reverse("coaching:meeting_detail", args=[meeting.pk])
            )
            calendar.add_component(event)
        return calendar.to_ical()


def subscribe_links(feed_url: str) -> dict[str, str]:
    """The ways a calendar program is told of the feed, from its https address.

    `webcal://` is the same address under the scheme Apple Calendar, Outlook and most
    phones open as a subscription; Google Calendar and Outlook on the web each take the
    address in their own "subscribe from a URL" link.
    """
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    # The calendar's name in Outlook's list of calendars.
    name = _("Tandem meetings")
    return {
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        # Outlook on the web has two homes: work and school accounts (Microsoft 365), and
        # personal ones (Outlook.com).
        "outlook": "https://outlook.office.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
        "outlook_personal": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
    }
