"""Who may apply a previewed package, and why not: asked by the page and the service."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import RosterImport, User


def roster_apply_refusal(user: User | None, record: RosterImport) -> str | None:
    """Why `user` cannot apply this package now, or None."""
    if record.status == RosterImport.Status.APPLIED:
        return _("This package is already applied.")
    if record.status != RosterImport.Status.PREVIEWED or record.extract is None:
        return _("This package was not applied: upload it again to look at it anew.")
    if user is not None and record.uploaded_by_id != user.pk:
        return _("Only whoever uploaded a package applies it.")
    if record.expires_at < timezone.now():
        return _("The preview expired: upload the package again.")
    return None
