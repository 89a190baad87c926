"""Operators manage the district lists; cycle records show only states and dates.

Goal statements, progress notes, summaries and reflections belong to the partnership and
never appear here.
"""

from django.contrib import admin

from coaching.admin import ReadOnlyAdmin
from core.admin import OfferedFiltersOnly

from .models import Cycle, FocusArea, Goal, Reflection, Strategy


@admin.register(FocusArea)
class FocusAreaAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    list_display = ["name", "district", "position"]
    list_filter = ["district"]


@admin.register(Strategy)
class StrategyAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    list_display = ["title", "district", "focus_area"]
    list_filter = ["district", "focus_area"]
    search_fields = ["title"]


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["id", "phase", "outcome", "started_on", "ended_on"]
    list_filter = ["phase", "outcome"]
    fields = ["partnership", "focus_area", "phase", "outcome", "started_on", "ended_on"]


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["id", "target_date", "updated_at"]
    fields = ["cycle", "target_date", "strategy", "updated_at"]


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "visibility", "created_at"]
    fields = ["cycle", "visibility", "created_at"]
