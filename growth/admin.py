"""Operators keep the district's list of coaching competencies. A coach's growth records
(goals, reflections, conversations, next steps) are the coach's and their lead's: they are
not on the operators' site at all, and neither are teachers' survey answers."""

from django.contrib import admin

from .models import Competency


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "position"]
    list_filter = ["district"]
