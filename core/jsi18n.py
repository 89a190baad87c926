"""The JavaScript catalogue: the words Tandem's scripts show (static/js/), in one language,
as Django's JavaScriptCatalog writes them (`gettext`, `ngettext`, `interpolate`...).

Each language has its own address, and each version of its words its own query:
`/jsi18n/es/?v=3f2a...`. The language is the address's, not the reader's, so no cache (the
browser's, a proxy's, the capture page's service worker, static/js/capture-sw.js) can give a
page in one language the other's words; the version changes when the words do, so it is
cached as static files with hashed names are (WhiteNoise: for ever, immutable), and a
deploy reaches the next page at once. Every page loads it before its own scripts
(templates/base.html, `{% javascript_catalog %}`).

It needs no sign-in: the sign-in page runs scripts too, it holds only the scripts' words,
and it touches no database.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.translation.trans_real import DjangoTranslation
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

# As WhiteNoise serves static files: hashed names for ten years, others for a minute.
FOREVER = 10 * 365 * 24 * 60 * 60
A_MINUTE = 60


class _Catalogue(JavaScriptCatalog):
    """Django's, holding Tandem's words only (locale/<lang>/LC_MESSAGES/djangojs.po): not
    the calendar and clock of the operators' site, whose pages load their own."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.translation = DjangoTranslation(
            language, domain=self.domain, localedirs=[str(p) for p in settings.LOCALE_PATHS]
        )


@functools.cache
def catalogue(language: str) -> tuple[bytes, str]:
    """The catalogue's script for `language`, and its version: made once per process."""
    with translation.override(language):
        view = _Catalogue(language)
        script = view.render_to_response(view.get_context_data()).content
    return script, hashlib.sha256(script).hexdigest()[:12]


def _forget_catalogues(sender: object, file_path: Path, **kwargs: object) -> None:
    # The development server reloads translations when a .mo file changes, without a restart.
    if file_path.suffix == ".mo":
        catalogue.cache_clear()


file_changed.connect(_forget_catalogues, dispatch_uid="javascript_catalogue")


def language_of_page() -> str:
    """The language the page being made is in, as settings.LANGUAGES names it."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def catalogue_url(language: str) -> str:
    """`/jsi18n/<language>/?v=<version>`: the address a page loads its words from."""
    return f"{reverse('javascript_catalog', args=[language])}?v={catalogue(language)[1]}"


@require_GET
@login_not_required
def javascript_catalog(request: HttpRequest, language: str) -> HttpResponse:
    """The catalogue of one of settings.LANGUAGES; any other is not found."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    script, version = catalogue(language)
    response = HttpResponse(script, content_type='text/javascript; charset="utf-8"')
    # Another version (a page made before a deploy) gets today's words, for a minute only.
    age = f"{FOREVER}, immutable" if request.GET.get("v") == version else str(A_MINUTE)
    response["Cache-Control"] = f"public, max-age={age}"
    return response
