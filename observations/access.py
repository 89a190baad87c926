"""The access log: who read or changed which confidential record, for its teacher to see."""

import datetime

from django.db.models import F
from django.utils import timezone

from .models import AccessEvent

# Repeats within this window are counted on one row: a lesson's notes are one line.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


def log_access(*, actor, action: str, kind: str, records) -> None:
    """Record that `actor` did `action` to each record, for each of its subjects.

    `records` holds (record id, record date, subject ids). Three queries at most, however
    many records: pages that show many stay constant in cost.
    """
    now = timezone.now()
    wanted = {
        (record_id, subject_id): record_date
        for record_id, record_date, subject_ids in records
        for subject_id in subject_ids
    }
    if not wanted:
        return
    recent = AccessEvent.objects.filter(
        actor=actor,
        action=action,
        record_id__in={record_id for record_id, _ in wanted},
        at__gte=now - REPEAT_WINDOW,
    ).values_list("pk", "record_id", "subject_id")
    found = {(record_id, subject_id): pk for pk, record_id, subject_id in recent}
    if found:
        AccessEvent.objects.filter(pk__in=found.values()).update(at=now, repeats=F("repeats") + 1)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            subject_id=subject_id,
            actor=actor,
            action=action,
            kind=kind,
            record_id=record_id,
            record_date=record_date,
            at=now,
            first_at=now,
        )
        for (record_id, subject_id), record_date in wanted.items()
        if (record_id, subject_id) not in found
    )


def log_observation(actor, observation, action: str) -> None:
    log_access(
        actor=actor,
        action=action,
        kind=AccessEvent.Kind.OBSERVATION,
        records=[
            (observation.pk, observation.observed_at, [t.pk for t in observation.teachers.all()])
        ],
    )
