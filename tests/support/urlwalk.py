"""Every URL of the site, built from the URL configuration, for tests that must miss none."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SAMPLE_FOR_CONVERTER = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "uuid": str(uuid.UUID(int=1)),
    "path": "sample/path",
}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _fill(route: str, values: dict[str, str]) -> str:
    def sample(match):
        return values.get(match["name"]) or SAMPLE_FOR_CONVERTER[match["converter"] or "str"]

    return PARAMETER.sub(sample, route)


def all_routes(resolver=None, prefix="", namespace=""):
    """Yield (qualified name, route with <parameters>) for every route-style URL pattern.

    The operators' admin site is left out: it is Django's own and guards itself.
    """
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", route


def url_for(route: str, **values) -> str:
    return "/" + _fill(route, {k: str(v) for k, v in values.items()})
