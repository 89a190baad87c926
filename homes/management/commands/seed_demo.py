import os

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import seed_people
from cycles.demo import seed_coaching
from observations.demo import seed_look_fors_and_seats, seed_observations
from reports.releases import release_district


class Command(BaseCommand):
    help = "Create (or complete) the demo district, schools, people and coaching records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "tandem-demo"),
            help="Password of every demo account (default: $DEMO_PASSWORD or tandem-demo).",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        people = seed_people(password)
        partnerships = seed_coaching(people)
        observations = seed_observations()
        seed_look_fors_and_seats(people.district)
        # What the Monday schedule would have made: administrators have a report to read.
        release_district(people.district)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {people.district.name}, {len(people.schools)} schools, "
                f"{len(people.users)} people, {partnerships} new partnerships, "
                f"{observations} new observations. Sign in as "
                "coach@example.org, teacher@example.org, "
                "principal@example.org or district@example.org."
            )
        )
