"""What a request carries in Tandem, for readers and for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import Membership, User


class TandemRequest(HttpRequest):
    """A request after the middleware: `accounts.middleware.ActiveRoleMiddleware` sets
    `memberships` (every role the person holds) and `membership` (the one being acted in,
    None when signed out or without a role); django-htmx sets `htmx`."""

    user: User
    membership: Membership | None
    memberships: list[Membership]
    htmx: HtmxDetails


def expects_json(request: HttpRequest) -> bool:
    """Whether the request comes from a script (fetch, htmx) rather than a page load."""
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("HX-Request") == "true"
    )
