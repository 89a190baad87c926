"""The observation verbs: start, note, tally, write feedback, share, respond, feed the goal.

Every change is written to the access log of the observed teacher(s).
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.locking import lock
from accounts.mail import mail_enqueue
from coaching.models import PartnershipMember
from coaching.services import partnership_require_active, partnership_touch
from cycles.models import Cycle, ProgressPoint
from cycles.services import progress_add

from .access import log_observation
from .models import AccessEvent, Observation, ObservationNote, ObservationResponse, Tally

Action = AccessEvent.Action


def _require_writable(observation: Observation) -> None:
    if observation.cycle.partnership.is_closed:
        raise ValidationError("This partnership is closed: its observations can no longer change.")


@transaction.atomic
def observation_start(
    *,
    actor,
    cycle: Cycle,
    subject: str = "",
    grade: str = "",
    period: str = "",
    observed_at: datetime.datetime | None = None,
) -> Observation:
    partnership_require_active(cycle.partnership)
    if not cycle.is_open:
        raise ValidationError("This cycle is closed. Observe within an open cycle.")
    teachers = [
        m.teacher_id
        for m in cycle.partnership.members.all()
        if m.status == PartnershipMember.Status.ACCEPTED
    ]
    observation = Observation(
        cycle=cycle,
        observer=actor,
        subject=subject.strip(),
        grade=grade.strip(),
        period=period.strip(),
        observed_at=observed_at or timezone.now(),
    )
    observation.full_clean()
    observation.save()
    observation.teachers.set(teachers)
    log_observation(actor, observation, Action.CHANGED)
    partnership_touch(cycle.partnership)
    return observation


def _mark_amended(observation: Observation) -> None:
    if observation.is_shared:
        observation.amended_at = timezone.now()
        observation.save(update_fields=["amended_at"])


def _sensible_time(observation: Observation, noted_at: datetime.datetime | None):
    """The time the coach typed the note, unless the device's clock is plainly wrong."""
    now = timezone.now()
    if noted_at is None or noted_at > now + datetime.timedelta(minutes=5):
        return now
    if noted_at < observation.observed_at - datetime.timedelta(days=1):
        return now
    return noted_at


@transaction.atomic
def observation_add_note(
    *,
    actor,
    observation: Observation,
    client_id: uuid.UUID,
    text: str,
    noted_at: datetime.datetime | None = None,
) -> tuple[ObservationNote, bool]:
    """Add a note once: a note sent again with the same client id changes nothing."""
    _require_writable(observation)
    text = text.strip()
    if not text:
        raise ValidationError("A note needs some text.")
    note, created = ObservationNote.objects.get_or_create(
        observation=observation,
        client_id=client_id,
        defaults={"text": text, "noted_at": _sensible_time(observation, noted_at)},
    )
    if created:
        Observation.objects.filter(pk=observation.pk).update(note_count=F("note_count") + 1)
        _mark_amended(observation)
        log_observation(actor, observation, Action.CHANGED)
    return note, created


@transaction.atomic
def observation_set_tally(
    *, actor, observation: Observation, client_id: uuid.UUID, label: str, count: int
) -> Tally:
    """Set a tally to `count`: the browser sends the total, so a resend is harmless."""
    _require_writable(observation)
    label = label.strip()
    if not label:
        raise ValidationError("A tally needs a name, e.g. “open questions”.")
    if count < 0:
        raise ValidationError("A tally cannot go below zero.")
    if count > Tally.MAX_COUNT:
        raise ValidationError(f"A tally counts up to {Tally.MAX_COUNT:,}.")
    if observation.tallies.filter(label__iexact=label).exclude(client_id=client_id).exists():
        raise ValidationError(f"There is already a tally called “{label}”.")
    tally, created = Tally.objects.get_or_create(
        observation=observation,
        client_id=client_id,
        defaults={"label": label, "count": count, "position": observation.tallies.count()},
    )
    if not created and (tally.count, tally.label) != (count, label):
        tally.count, tally.label = count, label
        tally.save(update_fields=["count", "label"])
    _mark_amended(observation)
    log_observation(actor, observation, Action.CHANGED)
    return tally


@transaction.atomic
def observation_write_feedback(
    *, actor, observation: Observation, strengths: str, wonderings: str, next_steps: str
) -> Observation:
    _require_writable(observation)
    observation.strengths = strengths.strip()
    observation.wonderings = wonderings.strip()
    observation.next_steps = next_steps.strip()
    fields = ["strengths", "wonderings", "next_steps"]
    if observation.is_shared:
        observation.amended_at = timezone.now()
        fields.append("amended_at")
    observation.save(update_fields=fields)
    log_observation(actor, observation, Action.CHANGED)
    return observation


@transaction.atomic
def observation_share(*, actor, observation: Observation) -> Observation:
    lock(observation, "status", "shared_at")
    _require_writable(observation)
    if observation.is_shared:
        raise ValidationError("This observation is already shared.")
    if not observation.has_feedback:
        raise ValidationError(
            "Write some feedback before sharing: strengths, wonderings or next steps."
        )
    observation.status, observation.shared_at = Observation.Status.SHARED, timezone.now()
    observation.save(update_fields=["status", "shared_at"])
    log_observation(actor, observation, Action.SHARED)
    _mail_feedback_shared(observation)
    return observation


@transaction.atomic
def observation_delete_draft(*, actor, observation: Observation) -> None:
    """The coach throws away a lesson never shared: its notes, tallies and feedback go with
    it. The teacher's access log keeps the line that says so."""
    lock(observation, "status")
    if observation.is_shared:
        raise ValidationError(
            "This observation is shared: it is the teacher's record too, and stays."
        )
    log_observation(actor, observation, Action.DELETED)
    observation.delete()


@transaction.atomic
def observation_respond(*, actor, observation: Observation, text: str) -> ObservationResponse:
    """The teacher acknowledges the feedback, with an answer if they wish; again to change it."""
    _require_writable(observation)
    now = timezone.now()
    response, created = ObservationResponse.objects.get_or_create(
        observation=observation,
        teacher=actor,
        defaults={"text": text.strip(), "acknowledged_at": now, "updated_at": now},
    )
    if not created:
        response.text, response.updated_at = text.strip(), now
        response.unseen_by_observer = True
        response.save(update_fields=["text", "updated_at", "unseen_by_observer"])
    observation.answers_unseen = True
    Observation.objects.filter(pk=observation.pk).update(answers_unseen=True)
    log_observation(actor, observation, Action.RESPONDED)
    if created:
        _mail_response_received(response)
    return response


# E-mails about feedback say that something is waiting, never what it says: the words stay
# in Tandem, behind sign-in, where the access log sees every read.


def _link(observation: Observation) -> str:
    return settings.SITE_URL + reverse("observations:detail", args=[observation.pk])


def _mail_feedback_shared(observation: Observation) -> None:
    for teacher in observation.teachers.all():
        mail_enqueue(
            key=f"feedback-shared:{observation.pk}:{teacher.pk}",
            to=teacher.email,
            subject=f"{observation.observer} shared feedback with you",
            body=(
                f"Hello {teacher.get_short_name()},\n\n{observation.observer} shared feedback "
                f"from a lesson they observed. Read it, and answer if you wish:\n\n"
                f"{_link(observation)}\n\nOnly you and your coach can read it.\n\nTandem\n"
            ),
        )


def _mail_response_received(response: ObservationResponse) -> None:
    """Tell the coach of a teacher's first answer; a changed answer waits on their home."""
    coach = response.observation.observer
    mail_enqueue(
        key=f"response:{response.pk}",
        to=coach.email,
        subject=f"{response.teacher} answered your feedback",
        body=(
            f"Hello {coach.get_short_name()},\n\n{response.teacher} answered the feedback you "
            f"shared:\n\n{_link(response.observation)}\n\nTandem\n"
        ),
    )


def observation_mark_responses_seen(*, actor, observation: Observation) -> None:
    """The observing coach has read the teachers' answers: they no longer wait on the home."""
    # Checked first: the coach opens observations far more often than answers arrive.
    if actor.id == observation.observer_id and observation.answers_unseen:
        observation.responses.filter(unseen_by_observer=True).update(
            seen_by_observer_at=timezone.now(), unseen_by_observer=False
        )
        observation.answers_unseen = False
        Observation.objects.filter(pk=observation.pk).update(answers_unseen=False)


def observation_feed_goal(
    *, actor, observation: Observation, value: Decimal, what: str
) -> ProgressPoint:
    """Record evidence seen in the lesson as a progress point of the cycle's goal."""
    goal = getattr(observation.cycle, "goal", None)
    if goal is None:
        raise ValidationError("This cycle has no goal yet to record progress against.")
    return progress_add(
        actor=actor,
        goal=goal,
        recorded_on=observation.cycle.partnership.school.local_date(observation.observed_at),
        value=value,
        source=ProgressPoint.Source.OBSERVATION,
        note=what,
    )
