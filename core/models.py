from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """The one-time key of a form as it was shown, claimed in the same transaction as what
    the form saves. The same form sent twice (a double tap, a resend after a timeout on
    classroom Wi-Fi) saves once; the second answer is the first one's page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "accounts_formsubmission"  # made before the model moved here
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="form_submitted_once")]

    def __str__(self) -> str:
        return f"Form submission {self.key}"
