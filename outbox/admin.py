from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import OfferedFiltersOnly

from .mail import mail_try_again
from .models import OutboxMessage


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

    @admin.action(description=gettext_lazy("Try sending the selected unsent messages again"))
    def try_again(self, request, queryset):
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": mail_try_again(queryset)}
        )
