"""Operators see that observations exist, when, and in which state: never a word of them.

Notes, tallies, feedback and responses are not registered at all; the access log is
registered read-only, since nobody may edit it.
"""

from django.contrib import admin

from coaching.admin import ReadOnlyAdmin

from .models import AccessEvent, Observation


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["id", "observed_at", "status", "shared_at"]
    list_filter = ["status"]
    fields = ["id", "cycle", "observer", "observed_at", "status", "shared_at", "note_count"]
    readonly_fields = fields


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "kind", "subject"]
    list_filter = ["action", "kind"]
    list_select_related = ["actor", "subject"]

    def has_delete_permission(self, request, obj=None):
        return False
