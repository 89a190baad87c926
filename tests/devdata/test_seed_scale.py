"""`seed_scale` at a small size: a district that keeps every rule the app relies on, in which
everyone can open their home, the same again for the same seed, and never written over
another database's records unless told."""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max
from django.urls import reverse

from accounts.models import Membership, User
from coaching.models import ActivityEntry, Meeting, NextStep, Partnership, PartnershipMember
from cycles.models import Cycle, Goal, PhaseChange, ProgressPoint, Reflection
from homes.views import HOME_FOR_ROLE
from observations.models import AccessEvent, Observation, ObservationResponse
from reports.models import ReportRelease
from reports.releases import release_due_districts
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SMALL = {"schools": 3, "teachers": 60, "observations": 500}


def seed(**options):
    out = io.StringIO()
    call_command("seed_scale", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


def generated_models():
    apps_generated = {"accounts", "coaching", "cycles", "observations"}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in apps_generated and model.objects.exists()
    ]


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_generates_the_sizes_asked_for():
    output = seed()
    assert Observation.objects.count() == 500
    assert Membership.objects.filter(role="teacher").values("user").distinct().count() >= 60
    assert Partnership.objects.count() > 30
    assert Cycle.objects.exclude(phase="closed").exists()
    assert Observation.objects.filter(status="draft").exists()
    assert "Sign in with the password" in output


def test_every_constraint_holds_and_records_pass_full_clean():
    seed()
    connection.check_constraints()  # the foreign keys, before the test's rollback hides them
    for model in generated_models():
        for record in model.objects.order_by("?")[:15]:
            record.full_clean()


# What moves a partnership's last activity on (coaching.services.partnership_touch).
TOUCHES = [
    (PhaseChange.objects, "cycle__partnership", "changed_at"),
    (Goal.objects, "cycle__partnership", "updated_at"),
    (ProgressPoint.objects, "goal__cycle__partnership", "created_at"),
    (Meeting.objects, "partnership", "created_at"),
    (Meeting.objects, "partnership", "updated_at"),
    (Meeting.objects, "partnership", "held_at"),
    (NextStep.objects, "partnership", "created_at"),
    (NextStep.objects, "partnership", "done_at"),
    (PartnershipMember.objects.filter(status="accepted"), "partnership", "responded_at"),
    (ActivityEntry.objects.exclude(partnership=None), "partnership", "created_at"),
    (Observation.objects, "cycle__partnership", "created_at"),
]


def test_counters_equal_what_they_count():
    seed()
    observations = Observation.objects.annotate(counted=Count("notes"))
    assert all(o.note_count == o.counted for o in observations)
    latest = dict(Partnership.objects.values_list("pk", "created_at"))
    for records, partnership, moment in TOUCHES:
        for pk, at in records.values_list(partnership).annotate(Max(moment)):
            if at is not None:
                latest[pk] = max(latest[pk], at)
    assert dict(Partnership.objects.values_list("pk", "last_activity_at")) == latest


def test_one_open_cycle_per_teacher_and_only_in_running_partnerships():
    seed()
    open_cycles = Cycle.objects.exclude(phase="closed")
    teachers = PartnershipMember.objects.filter(
        status="accepted", partnership__cycles__in=open_cycles
    ).values_list("teacher", flat=True)
    assert max(Counter(teachers).values()) == 1
    assert not open_cycles.exclude(partnership__status="active").exists()


def test_observations_answers_and_the_access_log_are_in_order():
    seed()
    assert not Observation.objects.filter(status="shared", shared_at__isnull=True).exists()
    # Drafts only where the coach is still observing.
    drafts = Observation.objects.filter(status="draft")
    assert not drafts.exclude(cycle__partnership__status="active").exists()
    assert not drafts.filter(cycle__phase="closed").exists()
    for observation in Observation.objects.prefetch_related("teachers"):
        cycle_members = set(
            PartnershipMember.objects.filter(
                partnership__cycles=observation.cycle_id, status="accepted"
            ).values_list("teacher", flat=True)
        )
        assert {t.pk for t in observation.teachers.all()} == cycle_members
    for response in ObservationResponse.objects.select_related("observation"):
        assert response.observation.status == "shared"
        assert response.observation.teachers.filter(pk=response.teacher_id).exists()
        assert response.observation.shared_at <= response.acknowledged_at <= response.updated_at
        if response.seen_by_observer_at:
            assert response.seen_by_observer_at >= response.updated_at
    assert ObservationResponse.objects.filter(seen_by_observer_at__isnull=True).exists()
    # The coach home's flag marks exactly the observations with an answer waiting.
    waiting = ObservationResponse.objects.filter(unseen_by_observer=True)
    flagged = Observation.objects.filter(answers_unseen=True)
    assert set(flagged.values_list("pk", flat=True)) == set(
        waiting.values_list("observation_id", flat=True)
    )
    records = {
        AccessEvent.Kind.OBSERVATION: set(Observation.objects.values_list("pk", flat=True)),
        AccessEvent.Kind.REFLECTION: set(Reflection.objects.values_list("pk", flat=True)),
    }
    for event in AccessEvent.objects.all():
        assert event.record_id in records[event.kind]
        assert event.first_at <= event.at


def test_no_administrator_coaches_or_is_coached_where_they_administer():
    seed(schools=20, teachers=40, observations=100)  # with the small districts beside
    for admin in Membership.objects.filter(role__in=["school_admin", "district_admin"]):
        schools = [admin.school_id] if admin.school_id else admin.district.schools.values("pk")
        assert not Partnership.objects.filter(school__in=schools, coach=admin.user_id).exists()
        assert not PartnershipMember.objects.filter(
            partnership__school__in=schools, teacher=admin.user_id
        ).exists()
        assert not Membership.objects.filter(
            user=admin.user_id, school__in=schools, role__in=["coach", "teacher"]
        ).exists()


def test_everyone_generated_opens_the_home_of_each_of_their_roles(client):
    seed()
    for user in User.objects.prefetch_related("memberships"):
        factories.sign_in(client, user)
        for role in {m.role for m in user.memberships.all()}:
            home = reverse(HOME_FOR_ROLE[role])
            assert client.get(home).status_code == 200, (user.email, home)
        client.logout()


def test_a_second_run_refuses_without_force_and_starts_afresh_with_it():
    seed()
    first = row_counts()
    with pytest.raises(CommandError, match=r"already holds generated scale data.*--force"):
        seed()
    assert row_counts() == first
    output = seed(force=True)
    assert "--force: emptying" in output
    assert row_counts() == first


def test_it_refuses_a_database_holding_other_people():
    factories.coach_at(factories.SchoolFactory())
    with pytest.raises(CommandError, match="already holds other data"):
        seed()


def test_the_same_seed_gives_the_same_district():
    def snapshot():
        emails = sorted(User.objects.values_list("email", flat=True))
        statuses = Counter(Partnership.objects.values_list("status", flat=True))
        return row_counts(), emails, statuses

    seed(seed=7)
    first = snapshot()
    seed(seed=7, force=True)
    assert snapshot() == first
    seed(seed=8, force=True)
    assert snapshot()[1] != first[1]


def test_it_makes_the_first_report_release_unless_told_to_leave_it_to_the_schedule():
    seed()
    assert ReportRelease.objects.count() == 1
    seed(force=True, no_release=True)
    assert not ReportRelease.objects.exists()
    assert release_due_districts() == 1  # the hourly check makes it: a new district is due
