from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .middleware import set_active_membership


@require_POST
def switch_role(request):
    """Make another of the person's own roles the active one, then go to its home."""
    try:
        chosen = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    for membership in request.memberships:
        if membership.pk == chosen:
            set_active_membership(request, membership)
            return redirect("homes:route")
    raise Http404
