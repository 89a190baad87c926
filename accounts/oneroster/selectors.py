"""Reads of roster packages: a district's, for its administrators alone."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import District, RosterImport, User
from ..selectors import administered_districts


def roster_imports_at(user: User, district: District) -> QuerySet[RosterImport]:
    """The district's packages, newest first, if `user` administers the district; else
    none (what another district imported does not exist for them)."""
    return RosterImport.objects.filter(
        district=district, district__in=administered_districts(user)
    ).select_related("uploaded_by")
