from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models.constants import LOOKUP_SEP

from .mail import mail_try_again
from .models import District, Membership, OutboxMessage, School, Term, User


class OfferedFiltersOnly:
    """Accept only the list filters the page offers.

    Django lets an operator filter a list through its URL by any field of the model, shown
    or not, and says how many records match: text__startswith=... asked letter by letter
    spells out a private reflection. Every Tandem admin therefore refuses (400) a filter
    that its list does not offer.
    """

    def lookup_allowed(self, lookup, value, request=None):
        offered = {f if isinstance(f, str) else f[0] for f in self.list_filter}
        if self.date_hierarchy:
            offered.add(self.date_hierarchy)
        return lookup.split(LOOKUP_SEP)[0] in offered and super().lookup_allowed(
            lookup, value, request
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school", "district"]


@admin.register(User)
class UserAdmin(OfferedFiltersOnly, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(District)
class DistrictAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [SchoolInline, TermInline]


@admin.register(School)
class SchoolAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    list_display = ["name", "district", "time_zone"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    list_display = ["user", "role", "school", "district"]
    list_filter = ["role", "school", "district"]
    list_select_related = ["user", "school", "district"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "school", "district"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    """What was sent and what is stuck. The body is left out: a welcome e-mail's holds a
    link that sets the person's password."""

    list_display = ["key", "recipient", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "recipient"]
    fields = ["key", "recipient", "subject", "created_at", "sent_at", "attempts", "last_error"]
    readonly_fields = fields
    actions = ["try_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Try sending the selected unsent messages again")
    def try_again(self, request, queryset):
        self.message_user(request, f"{mail_try_again(queryset)} message(s) queued again.")
