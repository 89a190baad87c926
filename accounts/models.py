import uuid
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .validators import validate_one_line

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # People type their address with whatever capitals they like.
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(max_length=150, validators=[validate_one_line])
    is_active = models.BooleanField(default=True)
    # When the account was deactivated: the retention period of departed people runs from it.
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_staff = models.BooleanField(
        default=False, help_text=_("Can sign in to the operators' admin site.")
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of what every session of this person is signed with: moving it on ends them all.
    sessions_generation = models.PositiveIntegerField(default=0, editable=False)
    # Kept here so that pages know without a query whether to ask for the second step.
    two_step_enabled = models.BooleanField(default=False, editable=False)
    # The language of this person's pages and e-mails (a code of settings.LANGUAGES). Blank
    # until they first sign in, when their browser's language is taken (accounts/language.py).
    language = models.CharField(max_length=10, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        # The people page reads a page of thousands in name order: from the index, it
        # stops after thirty rather than sorting them all.
        indexes = [models.Index(fields=["full_name"], name="user_name_idx")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def _get_session_auth_hash(self, secret=None):
        # Django signs sessions with the password hash alone, so only a new password ends
        # them; adding the generation lets a person sign out every other device without one.
        return salted_hmac(
            "accounts.User.session",
            f"{self.password}:{self.sessions_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


# A OneRoster sourcedId: the student information system's own id of a record, which
# rosters match on (never on names). Empty for what no roster brought in.
SOURCED_ID_LENGTH = 255


class District(models.Model):
    name = models.CharField(max_length=150, unique=True)
    # Also the name of the district's folder in the roster drop (ONEROSTER_DROP_DIR).
    sourced_id = models.CharField(max_length=SOURCED_ID_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sourced_id"],
                condition=~Q(sourced_id=""),
                name="district_sourced_id_unique",
            )
        ]

    def __str__(self):
        return self.name


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=150)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    sourced_id = models.CharField(max_length=SOURCED_ID_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="school_name_unique_in_district"
            ),
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="school_sourced_id_unique_in_district",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self):
        """Today's date where the school is: its days, weeks and due dates start at its
        midnight, not the server's."""
        return timezone.localdate(timezone=self.zone)

    def local_date(self, moment):
        """The school's date of an instant, e.g. the day a meeting fell on."""
        return timezone.localdate(moment, timezone=self.zone)


class Term(models.Model):
    """An academic term of a district; reports group figures by term."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    sourced_id = models.CharField(max_length=SOURCED_ID_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="term_name_unique_in_district"
            ),
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="term_sourced_id_unique_in_district",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A role held at a school (or, for district administrators and district lead coaches,
    at a district).

    Memberships are the only source of roles: nothing else grants access.
    """

    class Role(models.TextChoices):
        COACH = "coach", _("Coach")
        TEACHER = "teacher", _("Teacher")
        SCHOOL_ADMIN = "school_admin", _("School administrator")
        DISTRICT_ADMIN = "district_admin", _("District administrator")
        # Coaches the coaches: held at a school, or at the district for all its schools.
        LEAD_COACH = "lead_coach", _("Lead coach")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Brought in by the district's roster (OneRoster): the roster may end it. A role an
    # administrator gave in Tandem is never ended by a roster.
    from_roster = models.BooleanField(default=False)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="district_admin", district__isnull=False, school__isnull=True)
                    | (~Q(role="district_admin") & Q(school__isnull=False, district__isnull=True))
                    | Q(role="lead_coach", district__isnull=False, school__isnull=True)
                ),
                name="membership_place_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_at_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(district__isnull=False),
                name="membership_unique_at_district",
            ),
        ]
        indexes = [models.Index(fields=["school", "role"], name="membership_school_role")]

    def __str__(self):
        return gettext("%(person)s — %(role)s at %(place)s") % {
            "person": self.user,
            "role": self.get_role_display(),
            "place": self.place,
        }

    @property
    def place(self):
        return self.school if self.school_id else self.district

    @property
    def place_name(self):
        return self.place.name


class RoleInvitation(models.Model):
    """A role offered to someone not yet working in the district: a new person, or someone
    whose account belongs to another district.

    An administrator may not attach a role to a stranger's account, nor learn their name, nor
    whether the address is used elsewhere, by typing it: the person is asked, and the role
    exists only once they accept (a new person accepts by choosing their password).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_invitations")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    # None: asked by the district's roster from its folder or the command line.
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the inviter typed: all they ever see of the person until the person accepts.
    name_typed = models.CharField(max_length=150, validators=[validate_one_line])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Asked by the district's roster: the role, once accepted, is the roster's to end.
    from_roster = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(status="pending", school__isnull=False),
                name="one_pending_invitation_at_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(status="pending", district__isnull=False),
                name="one_pending_invitation_at_district",
            ),
        ]

    def __str__(self):
        return gettext("Role invitation of %(day)s") % {"day": f"{self.created_at:%Y-%m-%d}"}

    @property
    def place(self):
        return self.school if self.school_id else self.district

    @property
    def inviter(self) -> str:
        """Who asks, in the invitation's words: the administrator, or the district."""
        if self.invited_by_id:
            return str(self.invited_by)
        return str(self.district or self.school.district)


class RosteredPerson(models.Model):
    """A person as the district's student information system knows them: its sourcedId.

    Kept per district, since one district's sourcedId says nothing in another's.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roster_links")
    sourced_id = models.CharField(max_length=SOURCED_ID_LENGTH)
    # Deactivated because the roster said they left: the roster may bring them back. Someone
    # an administrator deactivated stays so, whatever the roster says.
    deactivated_by_roster = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="rostered_person_unique_sourced_id"
            ),
            models.UniqueConstraint(fields=["district", "user"], name="rostered_person_once"),
        ]

    def __str__(self):
        # Translators: a person and the student information system's id of them.
        return gettext("%(person)s as %(sourced_id)s") % {
            "person": self.user,
            "sourced_id": self.sourced_id,
        }


class RosterImport(models.Model):
    """One OneRoster package: previewed, then applied or refused.

    What is kept between the preview and "Apply" is the staff part of the package that
    Tandem reads (`extract`), never the package itself: students, guardians, demographics
    and passwords in it are never stored. The extract is dropped once the package is
    applied or its preview expires; the counts and any refusals stay, for the import page.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        FOLDER = "folder", _("Roster folder")
        COMMAND = "command", _("Command line")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Waiting to be applied")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("Not applied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    file_name = models.CharField(max_length=200, validators=[validate_one_line])
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)
    extract = models.JSONField(null=True, blank=True, editable=False)
    # What the preview showed, to find at "Apply" whether anything changed since.
    plan_digest = models.CharField(max_length=64, blank=True, default="")
    summary = models.JSONField(default=dict, blank=True)
    refusals = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "-created_at"], name="roster_import_recent")]

    def __str__(self):
        return gettext("Roster package of %(moment)s") % {
            "moment": f"{self.created_at:%Y-%m-%d %H:%M}"
        }
