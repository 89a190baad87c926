"""Operators' view of coaching records: states, people and dates only.

Agreements, agendas, meeting notes, next steps and coach notes are the partnership's words;
operators never see them here, so those fields are neither listed nor shown on forms.
"""

from django.contrib import admin

from core.admin import OfferedFiltersOnly

from .models import ActivityEntry, CoachNote, Meeting, NextStep, Partnership, PartnershipMember


class ReadOnlyAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    """Coaching records change through Tandem's own pages, never behind the users' backs."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    fields = ["teacher", "status", "invited_at", "responded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["id", "school", "status", "started_on", "ended_on"]
    list_filter = ["status", "school"]
    fields = ["school", "coach", "status", "created_at", "started_on", "ended_on"]
    inlines = [PartnershipMemberInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "starts_at", "held_at"]
    list_filter = ["kind"]
    fields = ["partnership", "kind", "starts_at", "duration_minutes", "held_at"]


@admin.register(NextStep)
class NextStepAdmin(ReadOnlyAdmin):
    list_display = ["id", "owner", "due_on", "done_at"]
    fields = ["partnership", "owner", "due_on", "done_at", "created_at"]


@admin.register(CoachNote)
class CoachNoteAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at"]
    fields = ["coach", "partnership", "created_at"]


@admin.register(ActivityEntry)
class ActivityEntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "coach", "school", "kind", "minutes"]
    list_filter = ["kind", "school"]
    list_select_related = ["coach", "school"]
    fields = ["coach", "school", "date", "kind", "minutes", "partnership"]
