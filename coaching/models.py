import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, School

# Stored as written when a partnership is made (the model's default, kept in English for
# the migrations); marked so the invitation form offers it in the coach's language.
DEFAULT_AGREEMENT = gettext_noop(
    "Coaching is voluntary and confidential. What the coach sees and writes in this "
    "partnership stays between coach and teacher: it is never shared with administrators "
    "and never used for evaluation. The teacher owns their data and may end the partnership "
    "at any time."
)


def join_names(names) -> str:
    """ "A", "A and B", "A, B and C": how people are named together in a sentence."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    # Translators: people named together in a sentence: "Ana, Luis and Rosa".
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _agreements_offered() -> set[str]:
    """Tandem's agreement as it is offered in each language, spaces evened out."""
    offered = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            offered.add(" ".join(gettext(DEFAULT_AGREEMENT).split()))
    return offered


class Partnership(models.Model):
    """A coach and one teacher, or a team of teachers, who agreed to work together."""

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("partnership status", "Invited")
        ACTIVE = "active", pgettext_lazy("partnership status", "Active")
        PAUSED = "paused", pgettext_lazy("partnership status", "Paused")
        CLOSED = "closed", pgettext_lazy("partnership status", "Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="partnerships")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partnerships_coached"
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PartnershipMember", related_name="partnerships"
    )
    title = models.CharField(
        max_length=120, blank=True, help_text=_("For a team, e.g. “Grade 3 team”. Optional.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    agreement = models.TextField(default=DEFAULT_AGREEMENT)
    created_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # Kept, not recomputed, so the coach home lists partnerships in one cheap query.
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at"]
        indexes = [models.Index(fields=["coach", "school", "status"], name="partnership_coach_idx")]

    # Names of coaching records say what kind of record and when, never their words: a
    # name shows wherever Django shows the record, the operators' admin site included.
    def __str__(self):
        return gettext("Partnership of %(day)s") % {"day": f"{self.created_at:%Y-%m-%d}"}

    def agreement_said(self) -> str:
        """The agreement as the reader reads it: Tandem's own, kept as offered, is shown in
        the reader's language, whichever language it was offered in; one the coach wrote
        stays in their words."""
        if " ".join(self.agreement.split()) in _agreements_offered():
            return gettext(DEFAULT_AGREEMENT)
        return self.agreement

    @cached_property
    def teacher_names(self) -> str:
        """Its teachers by name ("Daniel Reyes and Amara Bello"), as coaches call it.

        Reads `members`: lists prefetch them with their teachers (MEMBERS_WITH_TEACHERS).
        Kept for the instance's life: a page names a partnership many times (its row, its
        buttons' labels, the form's choices) and the members do not change while it renders.
        """
        members = [m for m in self.members.all() if m.status != PartnershipMember.Status.DECLINED]
        here = [m for m in members if m.status == m.Status.INVITED or m.is_present]
        if here:
            return join_names(m.teacher.full_name for m in here)
        # Everyone has left: the partnership is still named after them, and says so.
        if not members:
            return ""
        # Translators: a partnership named after the teachers who have all left it.
        return ngettext("%(names)s (left)", "%(names)s (left)", len(members)) % {
            "names": join_names(m.teacher.full_name for m in members)
        }

    @property
    def label(self) -> str:
        """The name a coach chooses it by: its teachers, and the team's title if it has one."""
        names = self.teacher_names
        if self.title:
            return f"{names} · {self.title}" if names else self.title
        return names

    def label_for(self, user) -> str:
        """Whom the partnership is with, from `user`'s side: the coach sees the teachers, a
        teacher sees their coach."""
        return self.label if user.pk == self.coach_id else self.coach.full_name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


def _teaches_at_the_school():
    """Whether a place's teacher holds a teacher's role at the partnership's school."""
    return Exists(
        Membership.objects.filter(
            user=OuterRef("teacher_id"),
            school=OuterRef("partnership__school_id"),
            role=Membership.Role.TEACHER,
        )
    )


class MemberQuerySet(models.QuerySet):
    def at_their_school(self):
        """Places of teachers who still teach at the partnership's school, signed in on an
        account that is still open."""
        return self.filter(_teaches_at_the_school(), teacher__is_active=True)

    def with_presence(self):
        """Annotated for `PartnershipMember.is_present`, so a list of members can tell who is
        still there without a query each."""
        return self.annotate(has_role=_teaches_at_the_school())

    def present(self):
        """The teachers in the partnership now, the one definition of it: accepted, not
        since removed, with an open account and a teacher's role at the school.

        Only they are observed, written to and shown the partnership's records; whoever
        left keeps what they were part of before (records.bundle) and nothing after.
        """
        return self.filter(status=PartnershipMember.Status.ACCEPTED).at_their_school()


class PartnershipMember(models.Model):
    """A teacher's place in a partnership: invited, then accepted or declined by them; left
    when they leave it, or the school, or Tandem (`left_at`)."""

    class Status(models.TextChoices):
        # Translators: where a teacher stands in a partnership, said after their name.
        INVITED = "invited", pgettext_lazy("teacher's place in a partnership", "Invited")
        ACCEPTED = "accepted", pgettext_lazy("teacher's place in a partnership", "Accepted")
        DECLINED = "declined", pgettext_lazy("teacher's place in a partnership", "Declined")
        LEFT = "left", pgettext_lazy("teacher's place in a partnership", "Left")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_places"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(default=timezone.now)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # When the teacher last stopped being in the partnership (removed from it, their role at
    # the school removed, their account closed): their export ends here.
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["teacher__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "teacher"], name="one_place_per_teacher")
        ]
        indexes = [models.Index(fields=["teacher", "status"], name="member_teacher_idx")]

    def __str__(self):
        return f"{self.teacher} ({self.get_status_display()})"

    @property
    def is_present(self) -> bool:
        """In the partnership now (MemberQuerySet.present), read from a member fetched
        `with_presence()`; fetched without it, only the account is checked."""
        if self.status != self.Status.ACCEPTED or not self.teacher.is_active:
            return False
        return getattr(self, "has_role", True)

    @property
    def standing(self) -> str:
        """What the partnership's page says of the teacher: a teacher gone from the school
        or from Tandem has left, whatever their place still says."""
        if self.status == self.Status.ACCEPTED and not self.is_present:
            return self.Status.LEFT.label
        return self.get_status_display()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        # Translators: kinds of coaching meeting.
        PLANNING = "planning", pgettext_lazy("meeting kind", "Planning")
        DEBRIEF = "debrief", pgettext_lazy("meeting kind", "Debrief")
        REFLECTING = "reflecting", pgettext_lazy("meeting kind", "Reflecting")
        OTHER = "other", pgettext_lazy("meeting kind", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PLANNING)
    starts_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(8 * 60)],
    )
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # For calendar programs (RFC 5545): the event's SEQUENCE, raised each time the meeting
    # moves (its start or its length), and when it last changed (its DTSTAMP and
    # LAST-MODIFIED). Without them a calendar cannot tell a moved meeting from one fetched
    # again. The database defaults serve rows written without the ORM (seed_scale's COPY).
    sequence = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["partnership", "starts_at"], name="meeting_when_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="meeting_has_length")
        ]

    def __str__(self):
        # Translators: a meeting's name on the operators' site: "Debrief meeting of 2026-11-24".
        return gettext("%(meeting)s of %(day)s") % {
            "meeting": self.kind_name,
            "day": f"{self.starts_at:%Y-%m-%d}",
        }

    @property
    def kind_name(self) -> str:
        """Its kind said of a meeting: "Debrief meeting", "Other meeting"."""
        names = {
            self.Kind.PLANNING: gettext("Planning meeting"),
            self.Kind.DEBRIEF: gettext("Debrief meeting"),
            self.Kind.REFLECTING: gettext("Reflecting meeting"),
            self.Kind.OTHER: gettext("Other meeting"),
        }
        return names.get(self.kind, self.get_kind_display())

    @property
    def name(self) -> str:
        """How people call it: "Debrief meeting", or just "Meeting"."""
        return gettext("Meeting") if self.kind == self.Kind.OTHER else self.kind_name


class NextStep(models.Model):
    class Owner(models.TextChoices):
        COACH = "coach", _("Coach")
        TEACHER = "teacher", _("Teacher")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="next_steps"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="next_steps"
    )
    text = models.CharField(max_length=300)
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.TEACHER)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]
        indexes = [
            models.Index(
                fields=["partnership", "due_on"],
                condition=Q(done_at__isnull=True),
                name="next_step_open_idx",
            )
        ]

    def __str__(self):
        day = f"{self.created_at:%Y-%m-%d}"
        if self.owner == self.Owner.COACH:
            return gettext("Coach's next step of %(day)s") % {"day": day}
        return gettext("Teacher's next step of %(day)s") % {"day": day}

    @property
    def is_done(self):
        return self.done_at is not None


class CoachNote(models.Model):
    """A coach's private working note on a partnership: its author alone ever reads it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="coach_notes"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["coach", "partnership"], name="coach_note_idx")]

    def __str__(self):
        return gettext("Coach note of %(day)s") % {"day": f"{self.created_at:%Y-%m-%d}"}


class ActivityEntry(models.Model):
    """Minutes a coach spent, by kind: programme data, shown to administrators as totals."""

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("Coaching conversation")
        OBSERVATION = "observation", _("Observation")
        MODELLING = "modelling", _("Modelling")
        CO_TEACHING = "co_teaching", _("Co-teaching")
        CO_PLANNING = "co_planning", _("Co-planning")
        DATA_MEETING = "data_meeting", _("Data meeting")
        # Translators: PLC is a professional learning community.
        TEAM = "team", _("Team / PLC")
        # Translators: PD is professional development (training) the coach gives.
        PD_DELIVERY = "pd_delivery", _("PD delivery")
        NON_COACHING = "non_coaching", _("Non-coaching duty")

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_entries"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="activity_entries")
    date = models.DateField(default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(1, _("Log at least one minute.")),
            MaxValueValidator(24 * 60, _("A day has 1,440 minutes; log each day on its own.")),
        ]
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_entries",
    )
    # Set when a held meeting logged itself, so holding it twice never counts twice.
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity_entry"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name_plural = _("activity entries")
        indexes = [
            models.Index(fields=["coach", "school", "date"], name="activity_coach_date_idx"),
            models.Index(fields=["school", "date"], name="activity_school_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=24 * 60), name="activity_minutes_in_a_day"
            )
        ]

    def __str__(self):
        return gettext("%(minutes)s min %(kind)s") % {
            "minutes": self.minutes,
            "kind": self.get_kind_display(),
        }
