from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReportSnapshot(models.Model):
    """An administrator report's figures, already anonymised, as last computed.

    Pages read one row instead of aggregating every cycle; a nightly task (and the page's
    refresh button) recompute them. Small cells are suppressed before they are stored, so
    not even this table holds a figure about fewer than REPORT_MIN_GROUP teachers.
    """

    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=20)
    min_group = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    figures = models.JSONField()
    # Bumped by every recompute: the pages' cached fragments are keyed by it.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # The table it had when reports lived inside coaching: moving the code moved no data,
        # and the reports' database role keeps its grants.
        db_table = "coaching_reportsnapshot"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "period"],
                condition=Q(school__isnull=False),
                name="one_snapshot_per_school_period",
            ),
            models.UniqueConstraint(
                fields=["district", "period"],
                condition=Q(district__isnull=False),
                name="one_snapshot_per_district_period",
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=True) ^ Q(district__isnull=True),
                name="snapshot_of_school_or_district",
            ),
        ]

    def __str__(self):
        return f"Report snapshot {self.period} ({self.computed_at:%Y-%m-%d %H:%M})"
