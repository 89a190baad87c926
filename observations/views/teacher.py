"""The teacher's own pages: the feedback shared with them, and who has read their records."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Membership
from core.views import require_role

from .. import selectors

Role = Membership.Role


def my_feedback(request):
    """The teacher's "My feedback": every shared observation of their lessons, with its state."""
    require_role(request, Role.TEACHER)
    page = Paginator(selectors.shared_with(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "observations/my_feedback.html", {"page": page})


def access_log(request):
    """ "Who has read my records": every read and change of the teacher's confidential records."""
    require_role(request, Role.TEACHER)
    include_own = request.GET.get("mine") == "1"
    events = selectors.access_events_of(request.user, include_own=include_own)
    page = Paginator(events, 30).get_page(request.GET.get("page"))
    links = selectors.record_links(request.user, page.object_list)
    for event in page.object_list:
        event.link = links.get(event.record_id)
    return render(
        request,
        "observations/access_log.html",
        {"page": page, "include_own": include_own, "now": timezone.now()},
    )
