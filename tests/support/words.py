"""The words a test looks for on a page, in the page's language, read from the catalogue.

A test never writes the Spanish it expects: it names the English message id, as the source
wrote it, and asks for what a reader of `lang` sees in its place:

    said("es", "Invite a teacher")
    said("es", "Share with %(names)s", names="Daniel Reyes")
    said("es", "Read %(date)s", context="feedback", date="Nov 22")
    said("es", "Logged %(minutes)s minutes of %(kind)s on %(day)s.", plural=..., n=30, ...)
    saying("es", "%(names)s’s lesson of %(day)s", names="Daniel Reyes")  # any day
    one_of("es", "Invite", "Send the invitation")                        # either button
    said_js("es", "Everything is saved.")                                # a script's words

What comes back is the text as a person reads it: the placeholders filled in, the markup
left out (a `<span class="visually-hidden">` keeps its words, as a screen reader does) and
the entities read, so it is what Playwright's `get_by_role(name=...)`, `get_by_label` and
`get_by_text` compare with. In the source language the message id itself comes back.

A message id the catalogue of `lang` does not hold, or holds untranslated (empty or fuzzy),
is refused with its name rather than searched for in English: the test says which entry is
missing instead of failing on a locator, or passing on an English word left on the page.
"""

import functools
import gettext as python_gettext
import html
import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
ANY = "\0"  # stands for a placeholder `saying` was given no value for
# What is special in a pattern both to Python and to the browser's JavaScript, which reads
# the patterns given to Playwright's locators: the rest (a space, a quote) stays as it is.
SPECIAL = re.compile(r"[\\^$.|?*+()\[\]{}]")


def _locale(lang: str, domain: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def _translated(lang: str, domain: str) -> frozenset[tuple[str | None, str]]:
    """(context, message id) of each entry of the catalogue that is translated."""
    return frozenset(
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(_locale(lang, domain)))
        if entry.translated() and not entry.obsolete
    )


def _held(lang: str, domain: str, msgid: str, context: str | None) -> None:
    if lang == settings.LANGUAGE_CODE:
        return  # the source language has no catalogue: its words are the message ids
    where = f"{domain}.po of {lang!r}"
    about = f" (context {context!r})" if context else ""
    assert (context, msgid) in _translated(lang, domain), (
        f"{msgid!r}{about} is not translated in {where}"
    )


def _read(text: str) -> str:
    """What a person reads of a translation: no markup, entities read, spaces single."""
    return " ".join(html.unescape(TAG.sub("", text)).split())


def _fill(text: str, values: dict) -> str:
    if not PLACEHOLDER.search(text):
        return text
    return PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else ANY, text
    ).replace("%%", "%")


def _translation(lang, msgid, context, plural, n) -> str:
    _held(lang, "django", msgid, context)
    with translation.override(lang):
        if plural is not None:
            if context:
                return translation.npgettext(context, msgid, plural, n)
            return translation.ngettext(msgid, plural, n)
        if context:
            return translation.pgettext(context, msgid)
        return translation.gettext(msgid)


def _escape(text: str) -> str:
    return SPECIAL.sub(lambda m: "\\" + m.group(), text)


def said(lang: str, msgid: str, *, context=None, plural=None, n=None, **values) -> str:
    """The text a reader of `lang` sees for `msgid` (django.po), with `values` filled in."""
    text = _read(_fill(_translation(lang, msgid, context, plural, n), values))
    assert ANY not in text, f"{msgid!r} needs a value for each placeholder: use `saying`"
    return text


def saying(lang: str, msgid: str, *, context=None, plural=None, n=None, **values) -> re.Pattern:
    """A pattern for what a reader of `lang` sees for `msgid`, each placeholder not given
    a value standing for any text (a date, a count); found anywhere in a longer text."""
    text = _read(_fill(_translation(lang, msgid, context, plural, n), values))
    return re.compile(".+?".join(_escape(piece) for piece in text.split(ANY)))


def one_of(lang: str, *msgids: str) -> re.Pattern:
    """A pattern for any of these messages (each as `saying` reads it)."""
    return re.compile("|".join(f"(?:{saying(lang, msgid).pattern})" for msgid in msgids))


@functools.cache
def _javascript(lang: str) -> python_gettext.NullTranslations:
    return python_gettext.translation(
        "djangojs", localedir=Path(settings.BASE_DIR) / "locale", languages=[lang], fallback=True
    )


def said_js(lang: str, msgid: str, *, context=None, **values) -> str:
    """The text a script of the page shows for `msgid` (djangojs.po), as it fills it in:
    `interpolate(gettext(...), {...}, true)`."""
    _held(lang, "djangojs", msgid, context)
    words = _javascript(lang)
    text = words.pgettext(context, msgid) if context else words.gettext(msgid)
    return _read(_fill(text, values))
