"""The observation verbs: start, note, tally, write feedback, share, respond, feed the goal.

Every change is written to the access log of the observed teacher(s).
"""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.language import writing_to
from accounts.models import User
from coaching.models import Partnership
from coaching.services import partnership_touch, refuse_if
from core.locking import lock
from cycles.models import Cycle, ProgressPoint
from cycles.services import progress_add
from outbox.mail import mail_enqueue

from .access import log_observation
from .models import (
    AccessEvent,
    ChosenLookFor,
    CommentBankPhrase,
    Observation,
    ObservationNote,
    ObservationResponse,
    SeatLayout,
    SeatMap,
    SeatTap,
    Tally,
)
from .rules import (
    evidence_delete_refusal,
    look_for_choice_refusal,
    observation_change_refusal,
    observation_delete_refusal,
    observation_feed_goal_refusal,
    observation_share_refusal,
    observation_start_refusal,
    observation_use_seats_refusal,
    seat_layout_refusal,
)

Action = AccessEvent.Action


def _require_writable(observation: Observation) -> None:
    """Hold the observation while it changes: a draft deleted at the same moment is then
    gone before (404) or after (the change went with it), never half-way (a 500)."""
    lock(observation, "status")
    refuse_if(observation_change_refusal(observation))


@transaction.atomic
def observation_start(
    *,
    actor: User,
    cycle: Cycle,
    subject: str = "",
    grade: str = "",
    period: str = "",
    observed_at: datetime.datetime | None = None,
) -> Observation:
    refuse_if(observation_start_refusal(cycle))
    teachers = cycle_teachers_now(cycle)
    if not teachers:
        raise ValidationError(
            _(
                "Nobody in this partnership teaches at the school any more, so there is no "
                "lesson to observe. Close the cycle and the partnership."
            )
        )
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


def _sensible_time(
    observation: Observation, noted_at: datetime.datetime | None
) -> datetime.datetime:
    """The time the coach typed the note, unless the device's clock is plainly wrong."""
    now = timezone.now()
    if noted_at is None or noted_at > now + datetime.timedelta(minutes=5):
        return now
    if noted_at < observation.observed_at - datetime.timedelta(days=1):
        return now
    return noted_at


def observations_recount(observations: QuerySet[Observation]) -> int:
    """Set the counters each observation keeps for the pages that list many lessons
    (`note_count`; `answers_unseen`, which the coach home finds by a partial index) to what
    its rows say. The verbs here call it on the lesson they change; whoever writes lessons in
    bulk (the scale generator) calls it once over all of them, so the rule is written once."""
    notes = (
        ObservationNote.objects.filter(observation=OuterRef("pk"))
        .order_by()
        .values("observation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    waiting = ObservationResponse.objects.filter(
        observation=OuterRef("pk"), unseen_by_observer=True
    )
    return observations.update(
        note_count=Coalesce(Subquery(notes), 0), answers_unseen=Exists(waiting)
    )


@transaction.atomic
def observation_add_note(
    *,
    actor: User,
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
        raise ValidationError(_("A note needs some text."))
    if look_for and not observation.look_fors.filter(pk=look_for).exists():
        raise ValidationError(_("That look-for is not part of this observation."))
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
        observations_recount(Observation.objects.filter(pk=observation.pk))
        _mark_amended(observation)
        log_observation(actor, observation, Action.CHANGED)
    return note, created


@transaction.atomic
def observation_set_tally(
    *, actor: User, observation: Observation, client_id: uuid.UUID, label: str, count: int
) -> Tally:
    """Set a tally to `count`: the browser sends the total, so a resend is harmless."""
    _require_writable(observation)
    label = label.strip()
    if not label:
        raise ValidationError(_("A tally needs a name, e.g. “open questions”."))
    if count < 0:
        raise ValidationError(_("A tally cannot go below zero."))
    if count > Tally.MAX_COUNT:
        raise ValidationError(
            _("A tally counts up to %(most)s.")
            % {"most": number_format(Tally.MAX_COUNT, force_grouping=True)}
        )
    if observation.tallies.filter(label__iexact=label).exclude(client_id=client_id).exists():
        raise ValidationError(_("There is already a tally called “%(name)s”.") % {"name": label})
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


def _corrected(observation: Observation) -> datetime.datetime | None:
    """When a correction is marked "edited": only once the teacher could read the lesson.
    A draft's notes change freely; nobody else has seen them."""
    return timezone.now() if observation.is_shared else None


def _log_correction(actor: User, observation: Observation) -> None:
    _mark_amended(observation)
    # After sharing, the teacher's log says a note or tally was edited, not just "changed".
    action = Action.EDITED if observation.is_shared else Action.CHANGED
    log_observation(actor, observation, action)


@transaction.atomic
def note_edit(
    *,
    actor: User,
    note: ObservationNote,
    text: str,
    look_for: uuid.UUID | None = None,
) -> ObservationNote:
    """The coach corrects a note: freely in a draft; after sharing the teacher sees it was
    edited, and their access log says so."""
    observation = note.observation
    _require_writable(observation)
    text = text.strip()
    if not text:
        raise ValidationError(_("A note needs some text. To take it back, delete it instead."))
    if look_for and not observation.look_fors.filter(pk=look_for).exists():
        raise ValidationError(_("That look-for is not part of this observation."))
    if (note.text, note.look_for_id) == (text, look_for):
        return note  # nothing corrected: no "edited" mark, no line in the log
    note.text, note.look_for_id = text, look_for
    note.edited_at = _corrected(observation) or note.edited_at
    note.save(update_fields=["text", "look_for", "edited_at"])
    _log_correction(actor, observation)
    return note


@transaction.atomic
def note_delete(*, actor: User, observation: Observation, client_id: uuid.UUID) -> bool:
    """Take back a note of a draft: from its page, or "Undo" on the capture page. Taking it
    back twice (an undo sent again) changes nothing."""
    _require_writable(observation)
    refuse_if(evidence_delete_refusal(observation))
    deleted, _by_model = observation.notes.filter(client_id=client_id).delete()
    if deleted:
        observations_recount(Observation.objects.filter(pk=observation.pk))
        log_observation(actor, observation, Action.CHANGED)
    return bool(deleted)


@transaction.atomic
def tally_edit(*, actor: User, tally: Tally, label: str, count: int) -> Tally:
    """The coach corrects a tally's name or count; after sharing, marked "edited"."""
    observation = tally.observation
    _require_writable(observation)
    label = " ".join(label.split())
    if tally.look_for_id:
        label = tally.label  # a look-for's counter keeps the look-for's words
    if not label:
        raise ValidationError(_("A tally needs a name, e.g. “open questions”."))
    if not 0 <= count <= Tally.MAX_COUNT:
        raise ValidationError(
            _("A tally counts from 0 to %(most)s.")
            % {"most": number_format(Tally.MAX_COUNT, force_grouping=True)}
        )
    if observation.tallies.filter(label__iexact=label).exclude(pk=tally.pk).exists():
        raise ValidationError(_("There is already a tally called “%(name)s”.") % {"name": label})
    if (tally.label, tally.count) == (label, count):
        return tally
    tally.label, tally.count = label, count
    tally.edited_at = _corrected(observation) or tally.edited_at
    tally.save(update_fields=["label", "count", "edited_at"])
    _log_correction(actor, observation)
    return tally


@transaction.atomic
def tally_delete(*, actor: User, tally: Tally) -> None:
    """Take back a tally of a draft. A counted look-for's counter goes with the look-for
    only: deleting it here would leave the look-for with nothing to count."""
    observation = tally.observation
    _require_writable(observation)
    refuse_if(evidence_delete_refusal(observation))
    if tally.look_for_id:
        raise ValidationError(
            _("This tally counts a look-for of the lesson: set its count to 0 instead.")
        )
    tally.delete()
    log_observation(actor, observation, Action.CHANGED)


@transaction.atomic
def observation_write_feedback(
    *, actor: User, observation: Observation, strengths: str, wonderings: str, next_steps: str
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
def observation_share(*, actor: User, observation: Observation) -> Observation:
    lock(observation, "status", "shared_at")
    present = cycle_teachers_now(observation.cycle)
    refuse_if(observation_share_refusal(observation, present=present))
    # A teacher who left the partnership since the lesson does not receive its feedback:
    # the lesson is shared with those in it now, and becomes nobody else's record.
    gone = [t for t in observation.teachers.all() if t.pk not in present]
    if gone:
        observation.teachers.remove(*gone)
    observation.status, observation.shared_at = Observation.Status.SHARED, timezone.now()
    observation.save(update_fields=["status", "shared_at"])
    log_observation(actor, observation, Action.SHARED)
    _mail_feedback_shared(observation)
    return observation


@transaction.atomic
def observation_delete_draft(*, actor: User, observation: Observation) -> None:
    """The coach throws away a lesson never shared: its notes, tallies and feedback go with
    it. The teacher's access log keeps the line that says so."""
    lock(observation, "status")
    refuse_if(observation_delete_refusal(observation))
    log_observation(actor, observation, Action.DELETED)
    observation.delete()


@transaction.atomic
def observation_respond(*, actor: User, observation: Observation, text: str) -> ObservationResponse:
    """The teacher replies to the feedback, or with no words only marks it read; again to
    change the reply."""
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
    observations_recount(Observation.objects.filter(pk=observation.pk))
    log_observation(actor, observation, Action.RESPONDED)
    if created:
        _mail_response_received(response)
    return response


# E-mails about feedback say that something is waiting, never what it says: the words stay
# in Tandem, behind sign-in, where the access log sees every read.


def _link(observation: Observation) -> str:
    return settings.SITE_URL + reverse("observations:detail", args=[observation.pk])


def cycle_teachers_now(cycle: Cycle) -> set:
    """Ids of the teachers in the cycle's partnership now (coaching.models.MemberQuerySet)."""
    return set(cycle.partnership.members.present().values_list("teacher_id", flat=True))


def _mail_feedback_shared(observation: Observation) -> None:
    for teacher in observation.teachers.all():
        with writing_to(teacher):
            mail_enqueue(
                key=f"feedback-shared:{observation.pk}:{teacher.pk}",
                to=teacher.email,
                subject=_("%(coach)s shared feedback with you") % {"coach": observation.observer},
                body=_(
                    "Hello %(name)s,\n\n%(coach)s shared feedback from a lesson they observed, "
                    "for the two of you to talk over. Read it, and reply if you wish:\n\n"
                    "%(link)s\n\nOnly you and your coach can read it.\n\nTandem\n"
                )
                % {
                    "name": teacher.get_short_name(),
                    "coach": observation.observer,
                    "link": _link(observation),
                },
            )


def _mail_response_received(response: ObservationResponse) -> None:
    """Tell the coach of a teacher's first answer; a changed answer waits on their home."""
    with writing_to(response.observation.observer):
        coach = response.observation.observer
        mail_enqueue(
            key=f"response:{response.pk}",
            to=coach.email,
            subject=_("%(teacher)s answered your feedback") % {"teacher": response.teacher},
            body=_(
                "Hello %(name)s,\n\n%(teacher)s answered the feedback you shared:\n\n"
                "%(link)s\n\nTandem\n"
            )
            % {
                "name": coach.get_short_name(),
                "teacher": response.teacher,
                "link": _link(response.observation),
            },
        )


def observation_mark_responses_seen(*, actor: User, observation: Observation) -> None:
    """The observing coach has read the teachers' answers: they no longer wait on the home."""
    # Checked first: the coach opens observations far more often than answers arrive.
    if actor.id == observation.observer_id and observation.answers_unseen:
        observation.responses.filter(unseen_by_observer=True).update(
            seen_by_observer_at=timezone.now(), unseen_by_observer=False
        )
        observation.answers_unseen = False
        observations_recount(Observation.objects.filter(pk=observation.pk))


def lesson_day(observation: Observation) -> datetime.date:
    """The school's date of the lesson: the day a figure of it is drawn on the goal's chart."""
    return observation.cycle.partnership.school.local_date(observation.observed_at)


def observation_feed_goal(
    *, actor: User, observation: Observation, value: Decimal, unit: str, what: str
) -> ProgressPoint:
    """Record a figure of the lesson, in `unit`, as a progress point of the cycle's goal."""
    refuse_if(observation_feed_goal_refusal(observation, unit))
    return progress_add(
        actor=actor,
        goal=observation.cycle.goal,
        recorded_on=lesson_day(observation),
        value=value,
        source=ProgressPoint.Source.OBSERVATION,
        note=what,
    )


# Look-fors the teacher chooses (and the coach adds, visibly) for the cycle's next lessons.


@transaction.atomic
def look_fors_choose(
    *, actor: User, cycle: Cycle, options: dict, picks: list[str], own: str = ""
) -> Cycle:
    """Set the look-fors `actor` chose for the cycle's next lessons to `picks` (keys of
    `options`, from `selectors.look_for_options`), plus one in their own words.

    Each person changes only their own choices: the coach cannot take away what the teacher
    asked for, and what the coach adds is marked as theirs for the teacher to see.
    """
    lock(cycle, "phase")
    refuse_if(look_for_choice_refusal(cycle))
    picks = list(dict.fromkeys(picks))  # a look-for ticked twice is chosen once
    waiting = {c.origin: c for c in cycle.look_fors.filter(observation=None)}
    unknown = [pick for pick in picks if pick not in options and pick not in waiting]
    if unknown:
        raise ValidationError(_("A look-for ticked is not offered here: look at the list again."))
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
def observation_add_look_for(
    *, actor: User, observation: Observation, description: str, counted: bool
) -> ChosenLookFor:
    """The coach adds a look-for during the lesson; the teacher sees the coach added it."""
    _require_writable(observation)
    description = " ".join(description.split())
    if not description:
        raise ValidationError(_("Describe what would be seen."))
    if observation.look_fors.filter(description__iexact=description).exists():
        raise ValidationError(
            _("“%(description)s” is already a look-for of this lesson.")
            % {"description": description}
        )
    if counted and observation.tallies.filter(label__iexact=description).exists():
        raise ValidationError(
            _("There is already a tally called “%(name)s”.") % {"name": description}
        )
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


def _clean_gaps(rows: int, columns: int, gaps: Iterable[str]) -> list[str]:
    wanted = {f"{r}-{c}" for r in range(rows) for c in range(columns)}
    return sorted(set(gaps) & wanted, key=lambda key: tuple(map(int, key.split("-"))))


@transaction.atomic
def seat_layout_save(
    *,
    actor: User,
    partnership: Partnership,
    layout: SeatLayout | None,
    name: str,
    rows: int,
    columns: int,
    gaps: Iterable[str],
) -> SeatLayout:
    """Lay out a class's room once (rows, columns and the places with no seat), to use for
    every lesson of that class."""
    # One layout saved at a time per partnership, so two of one name are seen below.
    lock(partnership, "status")
    if layout is not None:
        lock(layout, "name")
    refuse_if(seat_layout_refusal(partnership))
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Name the class, e.g. “Period 3 maths”."))
    if not (1 <= rows <= SeatLayout.MAX_SIDE and 1 <= columns <= SeatLayout.MAX_SIDE):
        raise ValidationError(
            _("A room has 1 to %(most)d rows and columns.") % {"most": SeatLayout.MAX_SIDE}
        )
    gaps = _clean_gaps(rows, columns, gaps)
    if len(gaps) == rows * columns:
        raise ValidationError(_("Leave at least one seat."))
    others = partnership.seat_layouts.filter(name__iexact=name)
    if layout is not None:
        others = others.exclude(pk=layout.pk)
    if others.exists():
        raise ValidationError(_("There is already a layout called “%(name)s”.") % {"name": name})
    layout = layout or SeatLayout(partnership=partnership)
    layout.name, layout.rows, layout.columns, layout.gaps = name, rows, columns, gaps
    layout.changed_at = timezone.now()
    layout.save()
    return layout


@transaction.atomic
def observation_use_seats(*, actor: User, observation: Observation, layout: SeatLayout) -> SeatMap:
    """Put the class's seats on this lesson: a copy, so a later change of the layout never
    moves this lesson's taps. Once a seat is tapped, the lesson keeps its seats."""
    lock(observation, "status")
    refuse_if(observation_use_seats_refusal(observation, tapped=observation.seat_taps.exists()))
    seat_map, _created = SeatMap.objects.update_or_create(
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
    actor: User,
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
        raise ValidationError(_("This lesson has no seat map yet."))
    if not seat_map.has_seat(row, column):
        raise ValidationError(_("There is no seat there."))
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
def observation_untap_seat(*, actor: User, observation: Observation, client_id: uuid.UUID) -> bool:
    """Take back a tap made by mistake; taking it back twice changes nothing."""
    _require_writable(observation)
    deleted, _by_model = observation.seat_taps.filter(client_id=client_id).delete()
    if deleted:
        _mark_amended(observation)
        log_observation(actor, observation, Action.CHANGED)
    return bool(deleted)


# The comment bank: a coach's own phrases, used again in feedback. Nobody else's to read or
# change, so no access-log line: nothing in it is about a teacher until the coach uses it.


def _clean_phrase(actor: User, kind: str, text: str, *, phrase: CommentBankPhrase | None) -> str:
    if kind not in CommentBankPhrase.Kind.values:
        raise ValidationError(_("Choose a strength, a wondering or a next step."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the phrase to keep."))
    same = CommentBankPhrase.objects.filter(coach=actor, kind=kind, text=text)
    if phrase is not None:
        same = same.exclude(pk=phrase.pk)
    if same.exists():
        raise ValidationError(_("That phrase is already in your comment bank."))
    return text


@transaction.atomic
def comment_bank_add(*, actor: User, kind: str, text: str) -> CommentBankPhrase:
    """Keep a phrase for feedback to come."""
    # One phrase added at a time per coach, so the limit and the duplicate hold.
    lock(actor, "is_active")
    text = _clean_phrase(actor, kind, text, phrase=None)
    if CommentBankPhrase.objects.filter(coach=actor).count() >= CommentBankPhrase.MAX_PER_COACH:
        raise ValidationError(
            _("Your comment bank holds %(most)d phrases: delete one you no longer use first.")
            % {"most": CommentBankPhrase.MAX_PER_COACH}
        )
    return CommentBankPhrase.objects.create(coach=actor, kind=kind, text=text)


@transaction.atomic
def comment_bank_edit(
    *, actor: User, phrase: CommentBankPhrase, kind: str, text: str
) -> CommentBankPhrase:
    if phrase.coach_id != actor.pk:
        raise PermissionDenied
    lock(phrase, "text")
    phrase.kind, phrase.text = kind, _clean_phrase(actor, kind, text, phrase=phrase)
    phrase.save(update_fields=["kind", "text"])
    return phrase


@transaction.atomic
def comment_bank_delete(*, actor: User, phrase: CommentBankPhrase) -> None:
    if phrase.coach_id != actor.pk:
        raise PermissionDenied
    phrase.delete()
