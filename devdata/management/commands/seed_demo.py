import logging
import os
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from coaching.models import Partnership
from devdata.demo.coaching import seed_coaching
from devdata.demo.growth import seed_growth, seed_survey
from devdata.demo.history import History
from devdata.demo.observations import seed_look_for_library, seed_observations
from devdata.demo.people import seed_people
from devdata.recount import partnerships_recount_last_activity
from outbox.models import OutboxMessage
from reports.releases import release_district


class Command(BaseCommand):
    help = "Create (or complete) the demo district, schools, people and coaching records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "tandem-demo"),
            help="Password of every demo account (default: $DEMO_PASSWORD or tandem-demo).",
        )

    def handle(self, *args, password, **options):
        with _dropped_mail_unannounced(), transaction.atomic():
            self._seed(password)

    def _seed(self, password):
        started = timezone.now()
        owed_before = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
        people = seed_people(password)
        history = History()
        partnerships = seed_coaching(people, history)
        # Written before the lessons are placed: they go around the meetings' true times.
        history.write()
        library = seed_look_for_library(people)
        observations = seed_observations(people, library, history)
        history.write()
        seed_growth(people)
        seed_survey(people)
        # Each partnership acted on here shows the last act of its story, not this moment.
        partnerships_recount_last_activity(
            Partnership.objects.filter(
                school__district=people.district, last_activity_at__gte=started
            )
        )
        # The story is weeks old and its people made up: what the services owed them by
        # e-mail along the way (welcomes, invitations, feedback shared, answers) is never
        # sent. Mail owed before this run stays owed.
        OutboxMessage.objects.filter(pk__gt=owed_before).delete()
        # What the Monday schedule would have made: administrators have a report to read.
        release_district(people.district)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {people.district.name}, {len(people.schools)} schools, "
                f"{len(people.users)} people, {partnerships} new partnerships, "
                f"{observations} new observations. Sign in as "
                "coach@example.org, teacher@example.org, lead@example.org, "
                "principal@example.org or district@example.org."
            )
        )


@contextmanager
def _dropped_mail_unannounced():
    """The tasks the services queued for the e-mails dropped above run once the seeding
    commits (there and then, with no broker) and find nothing to send: they need not each
    say so on the console, nor warn that no broker is set, which the local settings mean."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
