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
from .models import (
    AccessEvent,
    ChosenLookFor,
    Observation,
    ObservationNote,
    ObservationResponse,
    SeatLayout,
    SeatMap,
    SeatTap,
    Tally,
)

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
    _copy_chosen_look_fors(cycle, observation)
    log_observation(actor, observation, Action.CHANGED)
    partnership_touch(cycle.partnership)
    return observation


def _copy_chosen_look_fors(cycle: Cycle, observation: Observation) -> None:
    """The look-fors waiting on the cycle go onto the lesson as copies: choosing others
    for the next lesson later never changes what this one was watched for."""
    for chosen in cycle.look_fors.filter(observation=None):
        copy = ChosenLookFor.objects.create(
            **{
                field.name: getattr(chosen, field.name)
                for field in ChosenLookFor._meta.concrete_fields
                if field.name not in ("id", "observation", "created_at")
            },
            observation=observation,
        )
        if copy.counted:
            _give_counter(observation, copy, position=copy.position)


def _give_counter(observation: Observation, look_for: ChosenLookFor, *, position: int) -> None:
    """A counted look-for taps like any tally, under the look-for's own words."""
    Tally.objects.create(
        observation=observation, label=look_for.description, look_for=look_for, position=position
    )


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
    look_for: uuid.UUID | None = None,
) -> tuple[ObservationNote, bool]:
    """Add a note once: a note sent again with the same client id changes nothing.

    `look_for` tags it with one of the observation's look-fors."""
    _require_writable(observation)
    text = text.strip()
    if not text:
        raise ValidationError("A note needs some text.")
    if look_for and not observation.look_fors.filter(pk=look_for).exists():
        raise ValidationError("That look-for is not part of this observation.")
    note, created = ObservationNote.objects.get_or_create(
        observation=observation,
        client_id=client_id,
        defaults={
            "text": text,
            "noted_at": _sensible_time(observation, noted_at),
            "look_for_id": look_for,
        },
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
    if tally.look_for_id:
        label = tally.label  # a look-for's counter keeps the look-for's words
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


# Look-fors the teacher chooses (and the coach adds, visibly) for the cycle's next lessons.


def _require_open_cycle(cycle: Cycle) -> None:
    partnership_require_active(cycle.partnership)
    if not cycle.is_open:
        raise ValidationError("This cycle is closed: its look-fors can no longer change.")


@transaction.atomic
def look_fors_choose(*, actor, cycle: Cycle, options: dict, picks: list[str], own: str = ""):
    """Set the look-fors `actor` chose for the cycle's next lessons to `picks` (keys of
    `options`, from `selectors.look_for_options`), plus one in their own words.

    Each person changes only their own choices: the coach cannot take away what the teacher
    asked for, and what the coach adds is marked as theirs for the teacher to see.
    """
    lock(cycle, "phase")
    _require_open_cycle(cycle)
    picks = list(dict.fromkeys(picks))  # a look-for ticked twice is chosen once
    waiting = {c.origin: c for c in cycle.look_fors.filter(observation=None)}
    unknown = [pick for pick in picks if pick not in options and pick not in waiting]
    if unknown:
        raise ValidationError("A look-for ticked is not offered here: look at the list again.")
    by_coach = cycle.partnership.coach_id == actor.id
    for origin, chosen in waiting.items():
        if chosen.chosen_by_id == actor.id and origin not in picks:
            chosen.delete()
    position = len(waiting)
    new = [pick for pick in picks if pick not in waiting]
    own = " ".join(own.split())
    if own:
        origin = f"own:{uuid.uuid4().hex[:12]}"
        options = {**options, origin: {"source": ChosenLookFor.Source.OWN, "description": own}}
        new.append(origin)
    for origin in new:
        position += 1
        ChosenLookFor.objects.create(
            cycle=cycle,
            origin=origin,
            chosen_by=actor,
            by_coach=by_coach,
            position=position,
            **options[origin],
        )
    return cycle


@transaction.atomic
def observation_add_look_for(*, actor, observation: Observation, description: str, counted: bool):
    """The coach adds a look-for during the lesson; the teacher sees the coach added it."""
    _require_writable(observation)
    description = " ".join(description.split())
    if not description:
        raise ValidationError("Describe what would be seen.")
    if observation.look_fors.filter(description__iexact=description).exists():
        raise ValidationError(f"“{description}” is already a look-for of this lesson.")
    if counted and observation.tallies.filter(label__iexact=description).exists():
        raise ValidationError(f"There is already a tally called “{description}”.")
    look_for = ChosenLookFor.objects.create(
        cycle=observation.cycle,
        observation=observation,
        origin=f"own:{uuid.uuid4().hex[:12]}",
        source=ChosenLookFor.Source.OWN,
        description=description,
        counted=counted,
        chosen_by=actor,
        by_coach=True,
        position=observation.look_fors.count() + 1,
    )
    if counted:
        _give_counter(observation, look_for, position=observation.tallies.count())
    _mark_amended(observation)
    log_observation(actor, observation, Action.CHANGED)
    return look_for


# Seat maps: a tap on a seat each time a student there speaks. Positions only, never names.


def _clean_gaps(rows: int, columns: int, gaps) -> list[str]:
    wanted = {f"{r}-{c}" for r in range(rows) for c in range(columns)}
    return sorted(set(gaps) & wanted, key=lambda key: tuple(map(int, key.split("-"))))


@transaction.atomic
def seat_layout_save(
    *, actor, partnership, layout: SeatLayout | None, name: str, rows: int, columns: int, gaps
) -> SeatLayout:
    """Lay out a class's room once (rows, columns and the places with no seat), to use for
    every lesson of that class."""
    partnership_require_active(partnership)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Name the class, e.g. “Period 3 maths”.")
    if not (1 <= rows <= SeatLayout.MAX_SIDE and 1 <= columns <= SeatLayout.MAX_SIDE):
        raise ValidationError(f"A room has 1 to {SeatLayout.MAX_SIDE} rows and columns.")
    gaps = _clean_gaps(rows, columns, gaps)
    if len(gaps) == rows * columns:
        raise ValidationError("Leave at least one seat.")
    others = partnership.seat_layouts.filter(name__iexact=name)
    if layout is not None:
        others = others.exclude(pk=layout.pk)
    if others.exists():
        raise ValidationError(f"There is already a layout called “{name}”.")
    layout = layout or SeatLayout(partnership=partnership)
    layout.name, layout.rows, layout.columns, layout.gaps = name, rows, columns, gaps
    layout.changed_at = timezone.now()
    layout.save()
    return layout


@transaction.atomic
def observation_use_seats(*, actor, observation: Observation, layout: SeatLayout) -> SeatMap:
    """Put the class's seats on this lesson: a copy, so a later change of the layout never
    moves this lesson's taps. Once a seat is tapped, the lesson keeps its seats."""
    lock(observation, "status")
    _require_writable(observation)
    if observation.seat_taps.exists():
        raise ValidationError("Seats were already tapped in this lesson: its seats stay.")
    seat_map, _ = SeatMap.objects.update_or_create(
        observation=observation,
        defaults={
            "layout": layout,
            "name": layout.name,
            "rows": layout.rows,
            "columns": layout.columns,
            "gaps": list(layout.gaps),
        },
    )
    _mark_amended(observation)
    log_observation(actor, observation, Action.CHANGED)
    return seat_map


@transaction.atomic
def observation_tap_seat(
    *,
    actor,
    observation: Observation,
    client_id: uuid.UUID,
    row: int,
    column: int,
    kind: str = "",
    tapped_at: datetime.datetime | None = None,
) -> tuple[SeatTap, bool]:
    """A student in this seat spoke: recorded once, however often the tap is sent."""
    _require_writable(observation)
    seat_map = getattr(observation, "seat_map", None)
    if seat_map is None:
        raise ValidationError("This lesson has no seat map yet.")
    if not seat_map.has_seat(row, column):
        raise ValidationError("There is no seat there.")
    tap, created = SeatTap.objects.get_or_create(
        observation=observation,
        client_id=client_id,
        defaults={
            "row": row,
            "column": column,
            "kind": kind,
            "tapped_at": _sensible_time(observation, tapped_at),
        },
    )
    if created:
        _mark_amended(observation)
        log_observation(actor, observation, Action.CHANGED)
    return tap, created


@transaction.atomic
def observation_untap_seat(*, actor, observation: Observation, client_id: uuid.UUID) -> bool:
    """Take back a tap made by mistake; taking it back twice changes nothing."""
    _require_writable(observation)
    deleted, _ = observation.seat_taps.filter(client_id=client_id).delete()
    if deleted:
        _mark_amended(observation)
        log_observation(actor, observation, Action.CHANGED)
    return bool(deleted)
