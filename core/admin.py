from typing import cast

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

# What a list filter appends to its field's path; a date hierarchy its parts of a date.
COMPARISONS = {"exact", "in", "isnull", "id__exact", "gte", "lt", "lte", "year", "month", "day"}


class OfferedFiltersOnly(admin.ModelAdmin):
    """Accept only the list filters the page offers.

    Django lets an operator filter a list through its URL by any field of the model, shown
    or not, and says how many records match: text__startswith=... asked letter by letter
    spells out a private reflection. Every Tandem admin therefore refuses (400) a filter
    that its list does not offer.
    """

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        offered = {f if isinstance(f, str) else cast(tuple, f)[0] for f in self.list_filter}
        if self.date_hierarchy:
            offered.add(self.date_hierarchy)
        # The path of an offered filter ("role", "memberships__role"), then at most the
        # comparison Django's filters add to it: never a further field of its own.
        return any(
            lookup == path
            or (lookup.startswith(path + LOOKUP_SEP) and lookup[len(path) + 2 :] in COMPARISONS)
            for path in offered
        ) and super().lookup_allowed(lookup, value, request)
