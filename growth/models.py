"""Coaching the coaches: a lead coach who supports a coach, and the coach's own growth cycle.

A coach's growth records are the coach's and their lead's: never an administrator's, never
a teacher's, never evaluation data. A lead reads them only while the coach has accepted
their support and nothing stands between them (growth.rules: a person who administers a
school where the coach coaches is never their lead).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from accounts.validators import validate_one_line
from core.translated import Translatable

# The district's list of coaching competencies, kept as data: each district starts with
# these and may change them.
COMPETENCIES = [
    ("Listening", "Hearing the teacher out: paraphrasing, pausing, not filling the silence."),
    ("Questioning", "Open, mediative questions that help the teacher think, not lead them."),
    ("Feedback", "Specific, low-inference feedback tied to the goal and to student evidence."),
    ("Partnership", "Choice, voice and equality: the teacher decides, the coach supports."),
    ("Data use", "Working from student evidence: pre and post, progress, what students do."),
]
# The same list's words in each other language, given to the districts that start with it.
COMPETENCY_TRANSLATIONS = {
    "es": {
        "Listening": (
            "Escucha",
            "Escuchar de verdad al docente: parafrasear, hacer pausas, no llenar el silencio.",
        ),
        "Questioning": (
            "Preguntas",
            "Preguntas abiertas y mediadoras que ayudan al docente a pensar, sin dirigirlo.",
        ),
        "Feedback": (
            "Retroalimentación",
            "Retroalimentación específica y de baja inferencia, ligada a la meta y a la "
            "evidencia de los estudiantes.",
        ),
        "Partnership": (
            "Colaboración",
            "Elección, voz e igualdad: el docente decide, el coach acompaña.",
        ),
        "Data use": (
            "Uso de datos",
            "Trabajar con la evidencia de los estudiantes: antes y después, el avance, lo que "
            "hacen los estudiantes.",
        ),
    }
}


def competency_translations(name: str) -> dict:
    return {
        lang: {"name": words[name][0], "description": words[name][1]}
        for lang, words in COMPETENCY_TRANSLATIONS.items()
        if name in words
    }


class Competency(Translatable):
    TRANSLATED = ("name", "description")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(max_length=80, validators=[validate_one_line])
    description = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="competency_unique")
        ]

    def __str__(self):
        return self.said("name")


class LeadSupport(models.Model):
    """A lead coach supporting a coach: offered by the lead, accepted by the coach, ended by
    either. Coaching is voluntary for coaches too."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaches_supported"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lead_supports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            # One lead at a time for a coach, and one open offer or support per pair.
            models.UniqueConstraint(
                fields=["coach"], condition=Q(status="active"), name="one_lead_per_coach"
            ),
            models.UniqueConstraint(
                fields=["lead", "coach"],
                condition=Q(status__in=["offered", "active"]),
                name="one_open_support_per_pair",
            ),
            models.CheckConstraint(condition=~Q(lead=models.F("coach")), name="no_lead_of_oneself"),
        ]

    def __str__(self):
        return f"Lead support of {self.offered_at:%Y-%m-%d}"


class GrowthCycle(models.Model):
    """A coach's cycle on their own coaching: a goal for their practice (a competency of
    the district's list, in their own words), reflections, meetings with their lead and
    next steps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_cycles"
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.TextField()
    started_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach"], condition=Q(closed_on=None), name="one_open_growth_cycle"
            )
        ]

    # Kind and date, never the goal: the name shows wherever Django shows the record.
    def __str__(self):
        return f"Growth cycle from {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.closed_on is None


class GrowthReflection(models.Model):
    """The coach's reflection on their coaching: private, or shared with their lead, who
    may answer it. It is shared with one support, the lead of that moment: a later lead
    does not read it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="reflections")
    text = models.TextField()
    shared_with = models.ForeignKey(
        LeadSupport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Growth reflection of {self.created_at:%Y-%m-%d}"

    @property
    def shared(self) -> bool:
        return self.shared_with_id is not None


class GrowthMeeting(models.Model):
    """A conversation of coach and lead, with the Cognitive Coaching prompts for its kind."""

    class Kind(models.TextChoices):
        PLANNING = "planning", _("Planning conversation")
        REFLECTING = "reflecting", _("Reflecting conversation")
        OTHER = "other", _("Problem-resolving conversation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="meetings")
    # The support it was held in: a conversation is its coach's and that lead's.
    support = models.ForeignKey(
        LeadSupport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PLANNING)
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self):
        return f"Growth meeting of {self.held_on:%Y-%m-%d}"


class GrowthStep(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=300, validators=[validate_one_line])
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]

    def __str__(self):
        return f"Growth step of {self.created_at:%Y-%m-%d}"
