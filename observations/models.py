"""Observations: the most confidential records Tandem keeps.

An observation belongs to the coach who wrote it and, once shared, to the teacher(s) it
observed; nobody else ever reads it. Every read and change is written to the access log,
which the observed teacher can read.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coaching.models import join_names
from core.translated import Translatable
from cycles.models import Cycle


class Observation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("observation state", "Draft")
        SHARED = "shared", pgettext_lazy("observation state", "Shared")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="observations")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations_made"
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="observations_of", verbose_name=_("observed")
    )
    observed_at = models.DateTimeField(_("when"), default=timezone.now)
    subject = models.CharField(max_length=80, blank=True)
    grade = models.CharField(max_length=30, blank=True)
    period = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    strengths = models.TextField(blank=True)
    wonderings = models.TextField(blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_notice_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the coach changes a shared observation, so the teacher sees that it changed.
    amended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept so pages need not count notes again on every view.
    note_count = models.PositiveIntegerField(default=0)
    # Kept, not recomputed: some teacher's answer waits for the observer to read it. The
    # coach home finds those through a partial index that holds only these, however many
    # lessons the coach has observed.
    answers_unseen = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["-observed_at"]
        indexes = [
            models.Index(fields=["cycle", "observed_at"], name="observation_cycle_idx"),
            models.Index(fields=["observer", "status"], name="observation_observer_idx"),
            models.Index(
                fields=["observer"],
                condition=Q(answers_unseen=True),
                name="observation_answers_unseen_idx",
            ),
            # The nightly purge finds drafts never shared by their age; drafts are few.
            models.Index(
                fields=["created_at"],
                condition=Q(status="draft"),
                name="observation_draft_age_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(shared_at__isnull=False),
                name="shared_observation_has_date",
            )
        ]

    def __str__(self):
        return gettext("Observation of %(date)s") % {"date": f"{self.observed_at:%Y-%m-%d}"}

    @property
    def teacher_names(self) -> str:
        """Whose lesson it was. Reads `teachers`: pages prefetch them."""
        return join_names(t.full_name for t in self.teachers.all())

    @property
    def is_shared(self):
        return self.status == self.Status.SHARED

    @property
    def has_feedback(self):
        return bool(self.strengths or self.wonderings or self.next_steps)

    @property
    def lesson(self):
        return " · ".join(part for part in (self.subject, self.grade, self.period) if part)


class ObservationNote(models.Model):
    """One timestamped, low-inference note. `client_id` makes a resent note land once."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="notes")
    client_id = models.UUIDField(default=uuid.uuid4)
    noted_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    # The look-for the coach tagged it with, in one tap; the feedback groups notes by it.
    look_for = models.ForeignKey(
        "ChosenLookFor", null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the coach corrects the note after sharing, so the teacher sees it was edited.
    # The words it replaced are not kept: a correction exists to take them back.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Arrival order breaks a tie: notes sent at one instant read in the order typed.
        ordering = ["noted_at", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "client_id"], name="note_sent_once")
        ]

    def __str__(self):
        return gettext("Observation note of %(date)s") % {"date": f"{self.noted_at:%Y-%m-%d %H:%M}"}


class Tally(models.Model):
    """A tap counter the coach defines for one observation, e.g. "open questions"."""

    # No lesson holds more taps than this; a larger number is a client gone wrong.
    MAX_COUNT = 10_000

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="tallies")
    client_id = models.UUIDField(default=uuid.uuid4)
    label = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    # A look-for that is counted keeps its count here, so it taps like any tally.
    look_for = models.OneToOneField(
        "ChosenLookFor", null=True, blank=True, on_delete=models.CASCADE, related_name="tally"
    )
    # Set when the coach corrects the tally after sharing, as for a note.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["observation", "client_id"], name="tally_sent_once")
        ]

    def __str__(self):
        return gettext("Observation tally")


class ObservationResponse(models.Model):
    """The observed teacher's answer to the feedback."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="responses")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observation_responses"
    )
    text = models.TextField(blank=True)
    acknowledged_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    seen_by_observer_at = models.DateTimeField(null=True, blank=True)
    # Which answers of an observation with `answers_unseen` are the unread ones.
    unseen_by_observer = models.BooleanField(default=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "teacher"], name="one_response_each")
        ]

    def __str__(self):
        return gettext("Response of %(date)s") % {"date": f"{self.acknowledged_at:%Y-%m-%d}"}


class AccessEvent(models.Model):
    """Someone read or changed a confidential record of `subject`. Written, never edited.

    Repeats of the same act by the same person on the same record within a few minutes are
    counted on one row, so a lesson's worth of notes is one line of the teacher's log.
    """

    class Action(models.TextChoices):
        # Translators: what someone did to a teacher's record, in the teacher's access log
        # ("Ana · changed · Observation of Mar 3, 2026").
        READ = "read", pgettext_lazy("access log", "read")
        CHANGED = "changed", pgettext_lazy("access log", "changed")
        SHARED = "shared", pgettext_lazy("access log", "shared")
        RESPONDED = "responded", pgettext_lazy("access log", "responded to")
        DELETED = "deleted", pgettext_lazy("access log", "deleted")
        # A note or tally corrected after the teacher could read it (`edited_at`).
        EDITED = "edited", pgettext_lazy("access log", "edited after sharing")
        EXPORTED = "exported", pgettext_lazy("access log", "exported")

    class Kind(models.TextChoices):
        OBSERVATION = "observation", _("Observation")
        REFLECTION = "reflection", _("Private reflection")
        # The teacher's download of everything about them (records.Export).
        EVERYTHING = "everything", _("All your records")
        # A lesson video of the teacher's (video.Video), watched or commented on.
        VIDEO = "video", _("Lesson video")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    record_id = models.UUIDField()
    record_date = models.DateTimeField(help_text=_("When the record was made, to name it."))
    at = models.DateTimeField(default=timezone.now)
    first_at = models.DateTimeField(default=timezone.now)
    repeats = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="access_subject_idx"),
            models.Index(fields=["actor", "record_id", "action"], name="access_repeat_idx"),
            # The nightly purge deletes lines older than the retention period.
            models.Index(fields=["at"], name="access_at_idx"),
        ]

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


# Look-fors: what a lesson is watched for. Evidence is "seen", notes and counts; no model
# here holds a rating, a scale or a score, so nothing captured can be read as a grade.


class LookForTemplate(Translatable):
    """A named set of look-fors in the library: the district's, or one school's own."""

    TRANSLATED = ("name", "description")

    district = models.ForeignKey(
        "accounts.District", on_delete=models.CASCADE, related_name="look_for_templates"
    )
    # Empty for the district's own templates, which every school of the district reads.
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="look_for_templates",
    )
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, help_text=_("When it helps, and for whom."))
    # Raised at each change: an observation names the version its look-fors were copied from,
    # and keeps its own copy of their words, so a changed template never rewrites one.
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                condition=Q(school__isnull=True),
                name="look_for_template_unique_in_district",
            ),
            models.UniqueConstraint(
                fields=["school", "name"],
                condition=Q(school__isnull=False),
                name="look_for_template_unique_in_school",
            ),
        ]

    def __str__(self):
        return self.said("name")


class LookFor(Translatable):
    """One thing that would be seen, e.g. "students explain their reasoning to a partner"."""

    TRANSLATED = ("section", "description", "prompt")

    template = models.ForeignKey(
        LookForTemplate, on_delete=models.CASCADE, related_name="look_fors"
    )
    section = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=200)
    counted = models.BooleanField(
        _("count it"), default=False, help_text=_("Gives the coach a tally counter for it.")
    )
    prompt = models.CharField(
        max_length=200, blank=True, help_text=_("A question to notice by, e.g. “Who explains?”")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.said("description")


class ChosenLookFor(Translatable):
    """A look-for of a cycle: asked for by the teacher, or added by the coach for all to see.

    Without an observation it waits for the cycle's next observation; starting one copies
    the cycle's waiting look-fors onto it, words and all (in every language they have).
    """

    TRANSLATED = ("section", "description", "prompt")

    class Source(models.TextChoices):
        LIBRARY = "library", _("Library")
        GOAL = "goal", _("Learning target")
        STRATEGY = "strategy", _("Strategy checklist")
        OWN = "own", _("Own words")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="look_fors")
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.CASCADE, related_name="look_fors"
    )
    # Where the choice came from, e.g. "library:12" or "goal:0", so a page can show it ticked.
    origin = models.CharField(max_length=60)
    source = models.CharField(max_length=10, choices=Source.choices)
    section = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=200)
    prompt = models.CharField(max_length=200, blank=True)
    counted = models.BooleanField(default=False)
    template = models.ForeignKey(
        LookForTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    template_version = models.PositiveIntegerField(null=True, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # True when the coach added it: the teacher sees which look-fors were not their choice.
    by_coach = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["cycle", "observation"], name="look_for_cycle_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "origin"],
                condition=Q(observation__isnull=True),
                name="look_for_chosen_once",
            ),
            models.UniqueConstraint(
                fields=["observation", "origin"],
                condition=Q(observation__isnull=False),
                name="look_for_observed_once",
            ),
        ]

    def __str__(self):
        return gettext("Chosen look-for")


# Seat maps: who speaks, by seat. Seats are positions only; no student's name or identifier
# is ever asked for or stored.


class SeatLayout(models.Model):
    """A classroom's seats for one teacher's class, laid out once and used again."""

    MAX_SIDE = 12

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        "coaching.Partnership", on_delete=models.CASCADE, related_name="seat_layouts"
    )
    # Translators: a class of students (a group taught together), not a kind of thing.
    name = models.CharField(
        pgettext_lazy("group of students", "class"),
        max_length=60,
        help_text=_("e.g. “Period 3 maths”."),
    )
    rows = models.PositiveSmallIntegerField(default=5)
    columns = models.PositiveSmallIntegerField(default=6)
    # Positions left empty (aisles, no desk), as "row-column" keys.
    gaps = models.JSONField(default=list, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="seat_layout_unique"),
        ]

    def __str__(self):
        return gettext("Seat layout")


class SeatMap(models.Model):
    """The seats of one observed lesson: a copy of the layout, so changing the layout later
    never moves a past lesson's taps."""

    observation = models.OneToOneField(
        Observation, on_delete=models.CASCADE, primary_key=True, related_name="seat_map"
    )
    layout = models.ForeignKey(
        SeatLayout, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=60)
    rows = models.PositiveSmallIntegerField()
    columns = models.PositiveSmallIntegerField()
    gaps = models.JSONField(default=list, blank=True)

    def __str__(self):
        return gettext("Seat map")

    def has_seat(self, row, column) -> bool:
        return (
            0 <= row < self.rows
            and 0 <= column < self.columns
            and (f"{row}-{column}" not in self.gaps)
        )

    @property
    def seat_count(self) -> int:
        return self.rows * self.columns - len(self.gaps)


class SeatTap(models.Model):
    """A student in this seat spoke. `client_id` makes a resent tap land once."""

    class Kind(models.TextChoices):
        # Translators: kinds of student talk a coach taps on a seat map.
        ANY = "", pgettext_lazy("student talk", "Spoke")
        QUESTION = "question", pgettext_lazy("student talk", "Question")
        ANSWER = "answer", pgettext_lazy("student talk", "Answer")
        EXPLANATION = "explanation", pgettext_lazy("student talk", "Explanation")
        PEER = "peer", pgettext_lazy("student talk", "To a peer")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="seat_taps")
    client_id = models.UUIDField(default=uuid.uuid4)
    row = models.PositiveSmallIntegerField()
    column = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices, blank=True)
    tapped_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tapped_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "client_id"], name="seat_tap_once")
        ]

    def __str__(self):
        return gettext("Seat tap")


class CommentBankPhrase(models.Model):
    """A phrase a coach keeps to use again in feedback: a strength, a wondering or a next
    step in their own words.

    The coach's alone: no teacher, administrator or operator reads it (it is in no admin,
    report or export), since a coach's drafts of praise and concern are their own craft.
    """

    class Kind(models.TextChoices):
        # The values are the feedback form's fields, so a phrase goes to its own box.
        STRENGTHS = "strengths", _("Strength")
        # Translators: a question the coach wonders about ("I wonder what would happen if…").
        WONDERINGS = "wonderings", _("Wondering")
        NEXT_STEPS = "next_steps", _("Next step")

    MAX_PER_COACH = 300

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_bank"
    )
    kind = models.CharField(
        # Translators: what kind of feedback a phrase is for (a strength, a wondering…).
        pgettext_lazy("comment bank phrase", "for"),
        max_length=12,
        choices=Kind.choices,
    )
    text = models.TextField(_("phrase"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at"]
        indexes = [models.Index(fields=["coach", "kind"], name="comment_bank_coach_kind")]

    def __str__(self):
        return gettext("Comment bank phrase")
