import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District
from coaching.models import Partnership
from core.translated import Translatable


class FocusArea(Translatable):
    """What a cycle works on; a district list, seeded with Jim Knight's Big Four."""

    TRANSLATED = ("name",)

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="focus_areas")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="focus_area_unique")
        ]

    def __str__(self):
        return self.said("name")

    def unique_error_message(self, model_class, unique_check):
        # Django's own words would name the model and its fields by their code names.
        if tuple(unique_check) == ("district", "name"):
            return ValidationError(
                _("Focus area with this District and Name already exists."),
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)


class Strategy(Translatable):
    """A teaching strategy of the district's library (Knight's playbook)."""

    TRANSLATED = ("title", "description", "checklist")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="strategies")
    focus_area = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies"
    )
    title = models.CharField(max_length=120)
    description = models.TextField()
    checklist = models.TextField(blank=True, help_text=_("One item a line."))

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(fields=["district", "title"], name="strategy_unique")
        ]

    def __str__(self):
        return self.said("title")

    def unique_error_message(self, model_class, unique_check):
        # Django's own words would name the model and its fields by their code names.
        if tuple(unique_check) == ("district", "title"):
            return ValidationError(
                _("Strategy with this District and Title already exists."),
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)

    @property
    def checklist_items(self):
        return [line.strip() for line in self.said("checklist").splitlines() if line.strip()]


class Cycle(models.Model):
    class Phase(models.TextChoices):
        # Translators: the phases of Jim Knight's Impact Cycle (identify, learn, improve).
        IDENTIFY = "identify", pgettext_lazy("cycle phase", "Identify")
        LEARN = "learn", pgettext_lazy("cycle phase", "Learn")
        IMPROVE = "improve", pgettext_lazy("cycle phase", "Improve")
        # Translators: a coaching cycle's last phase, once it has ended.
        CLOSED = "closed", pgettext_lazy("cycle phase", "Closed")

    class Outcome(models.TextChoices):
        MET = "met", _("Goal met")
        PARTLY_MET = "partly_met", _("Goal partly met")
        NOT_MET = "not_met", _("Goal not met")
        # Translators: a coaching cycle's outcome: it ended before its goal was reached.
        STOPPED = "stopped", pgettext_lazy("cycle outcome", "Stopped")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cycles")
    title = models.CharField(max_length=120)
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="cycles")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.IDENTIFY)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [
            # The per-teacher rule is checked by cycle_start; this is its floor in the database.
            models.UniqueConstraint(
                fields=["partnership"], condition=~Q(phase="closed"), name="one_open_cycle"
            ),
            models.CheckConstraint(
                condition=Q(phase="closed", ended_on__isnull=False)
                | (~Q(phase="closed") & Q(ended_on__isnull=True)),
                name="closed_cycle_has_end",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "phase"], name="cycle_phase_idx")]

    # Kind and date, never the title: see Partnership.__str__.
    def __str__(self):
        return f"Cycle from {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.phase != self.Phase.CLOSED

    @property
    def next_phase(self):
        order = [self.Phase.IDENTIFY, self.Phase.LEARN, self.Phase.IMPROVE]
        if self.phase in order[:-1]:
            return order[order.index(self.phase) + 1]
        return None


class PhaseChange(models.Model):
    """When a cycle entered a phase: kept so the history (and cycle length) is never guessed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(max_length=10, choices=Cycle.Phase.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at"]

    def __str__(self):
        return f"{self.get_phase_display()} from {self.changed_at:%Y-%m-%d}"


class Goal(models.Model):
    """The cycle's student-focused goal, written to Knight's PEERS checklist.

    Coach and teacher set it together: whoever writes it (or changes it) proposes it, and
    it is agreed once the other accepts. Only the statement and how progress is measured
    are asked first; the rest may come later."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="goal")
    # A help text is not %-formatted: "% o" here is no placeholder.
    # xgettext:no-python-format
    statement = models.TextField(help_text=_("What students will do, e.g. “90% of students …”."))
    # Translators: Knight's PEERS checklist for a goal (Powerful, Easy, Emotionally
    # compelling, Reachable, Student-focused); each describes the goal (la meta).
    powerful = models.BooleanField(_("Powerful"), default=False)
    easy = models.BooleanField(_("Easy"), default=False)
    emotionally_compelling = models.BooleanField(_("Emotionally compelling"), default=False)
    reachable = models.BooleanField(_("Reachable"), default=False)
    student_focused = models.BooleanField(_("Student-focused"), default=False)
    measure = models.CharField(max_length=200, help_text=_("How progress is measured."))
    unit = models.CharField(max_length=30, default="%")
    baseline = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    learning_targets = models.TextField(
        _("“I can” learning targets"), blank=True, help_text=_("One a line.")
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # Who wrote the goal as it stands, and when the other person accepted it (None while it
    # is a proposal). A goal from before proposals has no proposer and counts as agreed.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("baseline")),
                name="target_differs",
                violation_error_message=_(
                    "The target must differ from the baseline, or there is nothing to reach."
                ),
            )
        ]

    def __str__(self):
        if self.target_date is None:
            return "Goal without a target date yet"
        return f"Goal with target date {self.target_date:%Y-%m-%d}"

    PEERS = ["powerful", "easy", "emotionally_compelling", "reachable", "student_focused"]

    @property
    def peers_checked(self):
        # Words in the reader's language, as text (the records' JSON export holds them).
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.PEERS
            if getattr(self, name)
        ]

    @property
    def learning_target_items(self):
        return [line.strip() for line in self.learning_targets.splitlines() if line.strip()]

    @property
    def is_agreed(self):
        return self.agreed_at is not None

    @property
    def chartable(self):
        """Whether there are lines to chart progress against: baseline, target and date."""
        return None not in (self.baseline, self.target, self.target_date)


class EvidenceSnapshot(models.Model):
    """Sweeney's pre/post assessment of student evidence: counts only, never a student."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-assessment")
        POST = "post", _("Post-assessment")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    taken_on = models.DateField(default=timezone.localdate)
    students_assessed = models.PositiveSmallIntegerField()
    students_proficient = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "kind"], name="one_snapshot_per_kind"),
            models.CheckConstraint(
                condition=Q(
                    students_proficient__lte=F("students_assessed"), students_assessed__gt=0
                ),
                name="proficient_within_assessed",
                violation_error_message=_(
                    "At least one student is assessed, and no more are proficient than assessed."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.students_proficient}/{self.students_assessed}"

    @property
    def share_proficient(self):
        return round(100 * self.students_proficient / self.students_assessed)


class ProgressPoint(models.Model):
    class Source(models.TextChoices):
        OBSERVATION = "observation", _("Observation")
        # Translators: where a progress figure comes from: a test or quiz of the students.
        ASSESSMENT = "assessment", pgettext_lazy("progress source", "Assessment")
        STUDENT_WORK = "student_work", _("Student work")
        # Translators: where a progress figure comes from (la fuente): another source.
        OTHER = "other", pgettext_lazy("progress source", "Other")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("date"), default=timezone.localdate)
    value = models.DecimalField(max_digits=8, decimal_places=2)
    source = models.CharField(max_length=15, choices=Source.choices, default=Source.ASSESSMENT)
    note = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_on", "created_at"]
        indexes = [models.Index(fields=["goal", "recorded_on"], name="progress_goal_idx")]

    def __str__(self):
        return f"Progress point of {self.recorded_on:%Y-%m-%d}"


class Reflection(models.Model):
    class Visibility(models.TextChoices):
        # Translators: who can read a reflection (la reflexión).
        PRIVATE = "private", _("Only me")
        SHARED = "shared", _("Shared with the partnership")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    prompt = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cycle", "visibility"], name="reflection_cycle_idx")]

    def __str__(self):
        return f"Reflection of {self.created_at:%Y-%m-%d}"


# The teachers' voice about coaching -------------------------------------------------
#
# When a cycle closes, each of its teachers may say, once, how the coaching went. Nothing
# links an answer to its teacher: the answer holds no teacher, no cycle and no date, only
# the group it is counted in. A group is one coach's teachers at one school; it is shown
# (to the coach and their lead, and in the reports) only once REPORT_MIN_GROUP different
# teachers have answered into it, all of its answers at once, so that no new answer can be
# told from the ones before it by a count that moved by one.


class SurveyGroup(models.Model):
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    # The school's day the group reached its size and was shown; empty while it fills.
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["coach", "school", "closed_on"], name="survey_group_idx")]

    def __str__(self):
        return "Group of survey answers"


class SurveyAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Somewhat")
        NO = "no", _("No")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(SurveyGroup, on_delete=models.CASCADE, related_name="answers")
    useful = models.CharField(max_length=6, choices=Answer.choices)
    safe = models.CharField(max_length=6, choices=Answer.choices)
    again = models.CharField(max_length=6, choices=Answer.choices)
    comment = models.TextField(blank=True)

    def __str__(self):
        return "Survey answer"


# The questions, and how each names its three answers.
SURVEY_QUESTIONS = [
    (
        "useful",
        _("Was the coaching useful to you?"),
        {"yes": _("Yes"), "partly": _("Somewhat"), "no": _("No")},
    ),
    (
        "safe",
        _("Did it feel safe to try things and to say what you think?"),
        {"yes": _("Yes"), "partly": _("Somewhat"), "no": _("No")},
    ),
    (
        "again",
        _("Would you work with a coach again?"),
        {"yes": _("Yes"), "partly": _("Maybe"), "no": _("No")},
    ),
]


class SurveyReceipt(models.Model):
    """That a teacher was done with the survey of a closed cycle: answered (into which
    group, so that a group counts different teachers) or declined. Never what they said."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="survey_receipts")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Empty: declined.
    group = models.ForeignKey(
        SurveyGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="receipts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "teacher"], name="one_survey_per_teacher"),
            models.UniqueConstraint(
                fields=["group", "teacher"],
                condition=Q(group__isnull=False),
                name="one_answer_per_teacher_in_group",
            ),
        ]

    def __str__(self):
        return "Survey receipt"
