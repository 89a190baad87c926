from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.jsi18n import javascript_catalog


@require_GET
@never_cache
@login_not_required
def healthz(request):
    """Liveness only: it touches no database, so it is also the bare-Django ceiling."""
    return HttpResponse("ok", content_type="text/plain")


admin.site.site_header = _("Tandem operators")
admin.site.site_title = _("Tandem operators")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The words of the scripts, in the language the address names (core/jsi18n.py).
    path("jsi18n/<str:language>/", javascript_catalog, name="javascript_catalog"),
    path("accounts/", include("accounts.urls")),
    path("", include("accounts.people_urls")),
    path("operators/", admin.site.urls),
    path("", include("coaching.urls")),
    path("", include("cycles.urls")),
    path("", include("observations.urls")),
    path("", include("reports.urls")),
    path("", include("notifications.urls")),
    path("", include("video.urls")),
    path("", include("growth.urls")),
    path("", include("records.urls")),
    path("", include("homes.urls")),
]
