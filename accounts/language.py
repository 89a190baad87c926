"""Which language a person reads Tandem in, and how they change it.

A signed-in person reads their own language (`User.language`) on every page and in every
e-mail; someone not signed in reads the one they last chose on this browser, or their
browser's. The switch at the foot of every page sets both.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Django's LocaleMiddleware, but a signed-in person's own choice comes first.

    Someone not signed in reads the browser's language (the switch's cookie, or
    Accept-Language). A request with a session reads its person's own language from the
    user row every page loads anyway; one without (/healthz, a calendar program) never
    touches the database for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = translation.get_language_from_request(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = request.user
            if user.is_authenticated and user.language in LANGUAGE_CODES:
                code = user.language
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        finally:
            translation.deactivate()


@receiver(user_logged_in)
def take_the_browsers_language(sender, request, user, **kwargs):
    """A person who has never chosen reads what their browser asks for from now on.

    Their language is then theirs, so e-mails sent while they are away follow it too.
    """
    if user.language or request is None:
        return
    user.language = translation.get_language_from_request(request)
    user.save(update_fields=["language"])


@require_POST
@login_not_required
def language_switch(request):
    """Set the reader's language: on this browser, and for a signed-in person, for good."""
    code = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code not in LANGUAGE_CODES:
        return response
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def writing_to(user):
    """Write what follows in `user`'s language: an e-mail, a feed or a file made for them.

    Someone who has never signed in has chosen none: they are written to in the language
    of the page that writes to them (an inviter's), or in English from a background task.
    """
    code = getattr(user, "language", "")
    return translation.override(code if code in LANGUAGE_CODES else translation.get_language())
