from django.db import models
from django.db.models import Q


class SealedTerm(models.Model):
    """A school's true counts for a term that has ended, taken once and never again.

    Releases read a term from here, not from the live records, so a term's figures stay
    the same release after release: a correction
    made later cannot show as the difference between two releases. Its teachers are ids,
    kept only to count distinct people; no page or export reads this table.
    """

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("accounts.Term", on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField()
    sealed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="one_seal_per_school_term")
        ]

    def __str__(self):
        return f"Sealed counts of term {self.term_id} at school {self.school_id}"


class ReportRelease(models.Model):
    """The figures administrators of a district read until the next one: made at set
    times, never on demand, and the same for every reader."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    released_at = models.DateTimeField()
    next_release_at = models.DateTimeField()
    min_group = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["district", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "number"], name="one_release_per_district_number"
            )
        ]

    def __str__(self):
        return f"Report release {self.number} ({self.released_at:%Y-%m-%d %H:%M})"


class ReleasedFigures(models.Model):
    """One school's figures of a release, or (school empty) the district's, already
    protected: a hidden figure is stored as null, so this table holds no figure about
    fewer than REPORT_MIN_GROUP teachers."""

    release = models.ForeignKey(ReportRelease, on_delete=models.CASCADE, related_name="figures")
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    figures = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "school"],
                condition=Q(school__isnull=False),
                name="one_figures_per_release_school",
            ),
            models.UniqueConstraint(
                fields=["release"],
                condition=Q(school__isnull=True),
                name="one_district_figures_per_release",
            ),
        ]

    def __str__(self):
        return f"Figures of release {self.release_id}"
