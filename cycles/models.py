import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import District
from coaching.models import Partnership


class FocusArea(models.Model):
    """What a cycle works on; a district list, seeded with Jim Knight's Big Four."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="focus_areas")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="focus_area_unique")
        ]

    def __str__(self):
        return self.name


class Strategy(models.Model):
    """A teaching strategy of the district's library (Knight's playbook)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="strategies")
    focus_area = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies"
    )
    title = models.CharField(max_length=120)
    description = models.TextField()
    checklist = models.TextField(blank=True, help_text="One item a line.")

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["district", "title"], name="strategy_unique")
        ]

    def __str__(self):
        return self.title

    @property
    def checklist_items(self):
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class Cycle(models.Model):
    class Phase(models.TextChoices):
        IDENTIFY = "identify", "Identify"
        LEARN = "learn", "Learn"
        IMPROVE = "improve", "Improve"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        MET = "met", "Goal met"
        PARTLY_MET = "partly_met", "Goal partly met"
        NOT_MET = "not_met", "Goal not met"
        STOPPED = "stopped", "Stopped"

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
    statement = models.TextField(help_text="What students will do, e.g. “90% of students …”.")
    powerful = models.BooleanField("Powerful", default=False)
    easy = models.BooleanField("Easy", default=False)
    emotionally_compelling = models.BooleanField("Emotionally compelling", default=False)
    reachable = models.BooleanField("Reachable", default=False)
    student_focused = models.BooleanField("Student-focused", default=False)
    measure = models.CharField(max_length=200, help_text="How progress is measured.")
    unit = models.CharField(max_length=30, default="%")
    baseline = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    learning_targets = models.TextField(
        "“I can” learning targets", blank=True, help_text="One a line."
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
                violation_error_message=(
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
        return [
            self._meta.get_field(name).verbose_name for name in self.PEERS if getattr(self, name)
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
        PRE = "pre", "Pre-assessment"
        POST = "post", "Post-assessment"

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
                violation_error_message=(
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
        OBSERVATION = "observation", "Observation"
        ASSESSMENT = "assessment", "Assessment"
        STUDENT_WORK = "student_work", "Student work"
        OTHER = "other", "Other"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField("date", default=timezone.localdate)
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
        PRIVATE = "private", "Only me"
        SHARED = "shared", "Shared with the partnership"

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
        YES = "yes", "Yes"
        PARTLY = "partly", "Somewhat"
        NO = "no", "No"

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
    ("useful", "Was the coaching useful to you?", {"yes": "Yes", "partly": "Somewhat", "no": "No"}),
    (
        "safe",
        "Did it feel safe to try things and to say what you think?",
        {"yes": "Yes", "partly": "Somewhat", "no": "No"},
    ),
    ("again", "Would you work with a coach again?", {"yes": "Yes", "partly": "Maybe", "no": "No"}),
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
