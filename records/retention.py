"""How long Tandem keeps what, and the nightly purge of what has expired.

The periods are settings (RETENTION_DAYS), shown to administrators on "Data we keep". The
purge deletes in chunks, so no transaction holds a large table for long, and logs counts
only: a log line never names a person or quotes a record.
"""

import datetime
import logging
from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, RoleInvitation, RosteredPerson, User
from coaching.models import CoachNote, Partnership
from cycles.models import Cycle
from notifications.models import CalendarFeed, Preference, Reminder
from observations.models import AccessEvent, CommentBankPhrase, Observation
from outbox.models import OutboxMessage
from video.models import Video

from .models import Export

logger = logging.getLogger(__name__)
CHUNK = 1000


@dataclass
class Rule:
    key: str
    what: str
    after: str


RULES = [
    Rule(
        "unshared_drafts",
        _("Observations a coach never shared, with their notes, tallies and feedback"),
        # Translators: how long a kind of record is kept is counted from this moment ("Kept
        # for 90 days" ... "after they were started"); shown with a capital first letter.
        _("after they were started"),
    ),
    Rule(
        "closed_partnerships",
        _(
            "Observations (shared ones too, with the teachers' answers) and coaches' own notes "
            "of a partnership that closed"
        ),
        _(
            "after it closed. Cycles, goals and progress stay, for the teacher and the "
            "programme's anonymised figures"
        ),
    ),
    Rule(
        "access_log",
        _("Lines of teachers' “who opened my records”"),
        _("after the read or change they record"),
    ),
    Rule(
        "departed_people",
        _(
            "Names, e-mail addresses, roles, settings and comment banks of deactivated "
            "people; what they wrote follows the rules above"
        ),
        _("after the account was deactivated"),
    ),
    Rule(
        "lesson_video",
        _(
            "Lesson videos and audio, with their comments and talk timelines (a teacher may "
            "delete theirs sooner, at any time)"
        ),
        _("after the cycle they were recorded in closed"),
    ),
    Rule(
        "sent_mail",
        _("Copies of e-mails sent (invitations, reminders, digests)"),
        _("after they were sent"),
    ),
]


def periods() -> list[tuple[Rule, int]]:
    return [(rule, settings.RETENTION_DAYS[rule.key]) for rule in RULES]


def _delete_in_chunks(queryset) -> int:
    """Delete what `queryset` selects, a thousand rows at a time; returns how many rows of
    its model went (cascaded rows are not counted)."""
    model, deleted = queryset.model, 0
    while True:
        pks = list(queryset.values_list("pk", flat=True)[:CHUNK])
        if not pks:
            return deleted
        with transaction.atomic():
            deleted += model.objects.filter(pk__in=pks).delete()[1].get(model._meta.label, 0)


def _forget_person(user: User) -> None:
    """What identified a departed person goes; the rows that point to them stay, nameless."""
    with transaction.atomic():
        user.full_name = "Former member"
        user.email = f"departed-{user.pk}@invalid.example"
        user.set_unusable_password()
        user.save(update_fields=["full_name", "email", "password"])
        Membership.objects.filter(user=user).delete()
        RoleInvitation.objects.filter(user=user).delete()
        # Their sourcedId in the district's information system identifies them too.
        RosteredPerson.objects.filter(user=user).delete()
        # So do their district accounts' subjects, and the claims of their last sign-in.
        SocialAccount.objects.filter(user=user).delete()
        Preference.objects.filter(user=user).delete()
        Reminder.objects.filter(user=user).delete()
        CalendarFeed.objects.filter(user=user).delete()
        # A coach's comment bank is their own words: it leaves with them.
        CommentBankPhrase.objects.filter(coach=user).delete()
        Export.objects.filter(user=user).delete()


def purge_expired(now=None) -> dict[str, int]:
    """Delete everything past its retention period; returns (and logs) the counts. Run
    twice, the second run finds nothing more to delete."""
    now = now or timezone.now()

    def cutoff(key):
        return now - datetime.timedelta(days=settings.RETENTION_DAYS[key])

    # A partnership ends on a school's date; a day's margin keeps every zone from going early.
    closed_before = (cutoff("closed_partnerships") - datetime.timedelta(days=1)).date()
    closed = Partnership.objects.filter(
        status=Partnership.Status.CLOSED, ended_on__lt=closed_before
    ).values("pk")
    counts = {
        "unshared drafts": _delete_in_chunks(
            Observation.objects.filter(
                status=Observation.Status.DRAFT, created_at__lt=cutoff("unshared_drafts")
            )
        ),
        "observations of closed partnerships": _delete_in_chunks(
            Observation.objects.filter(cycle__partnership__in=closed)
        ),
        # Each video's files go with its row (video.receivers).
        "lesson videos of closed cycles": _delete_in_chunks(
            Video.objects.filter(
                cycle__phase=Cycle.Phase.CLOSED,
                cycle__ended_on__lt=(cutoff("lesson_video") - datetime.timedelta(days=1)).date(),
            )
        ),
        "coach notes of closed partnerships": _delete_in_chunks(
            CoachNote.objects.filter(partnership__in=closed)
        ),
        "access log lines": _delete_in_chunks(
            AccessEvent.objects.filter(at__lt=cutoff("access_log"))
        ),
        "sent e-mails": _delete_in_chunks(
            OutboxMessage.objects.filter(sent_at__lt=cutoff("sent_mail"))
        )
        + _delete_in_chunks(Reminder.objects.filter(mailed_at__lt=cutoff("sent_mail"))),
    }
    departed = User.objects.filter(
        is_active=False, deactivated_at__lt=cutoff("departed_people")
    ).exclude(email__endswith="@invalid.example")
    forgotten = 0
    for user in departed.iterator(chunk_size=CHUNK):
        _forget_person(user)
        forgotten += 1
    # A departed person's sessions end with their password: Django signs each session with it.
    counts["departed people"] = forgotten
    logger.info("Purged: %s", counts)
    return counts
