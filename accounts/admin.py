from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import OfferedFiltersOnly

from .models import District, Membership, School, Term, User


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
        (_("Person"), {"fields": ["full_name"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
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


# allauth's models on the operators' site: only the link of a person to a district account,
# which an operator may remove when it was made in error. Providers are configured from
# the environment (no SocialApp rows), tokens are never stored, and allauth's e-mail
# addresses are not Tandem's (a person has one, User.email).
for model in (SocialApp, SocialToken, EmailAddress):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
