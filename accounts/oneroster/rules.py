"""Who may apply a previewed package, and why not: asked by the page and the service."""

from __future__ import annotations

from django.utils import timezone

from ..models import RosterImport, User


def roster_apply_refusal(user: User | None, record: RosterImport) -> str | None:
    """Why `user` cannot apply this package now, or None."""
    if record.status == RosterImport.Status.APPLIED:
        return "This package is already applied."
    if record.status != RosterImport.Status.PREVIEWED or record.extract is None:
        return "This package was not applied: upload it again to look at it anew."
    if user is not None and record.uploaded_by_id != user.pk:
        return "Only whoever uploaded a package applies it."
    if record.expires_at < timezone.now():
        return "The preview expired: upload the package again."
    return None
