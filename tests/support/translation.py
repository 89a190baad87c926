"""What a reader of another language would still see in English.

`english_left(html, "es")` names every piece of visible text (text, and the attributes a
screen reader speaks) that is, or contains a phrase of, an English message id of the
catalogue whose translation differs: a string wrapped for translation that was not
translated, or reached the page around the translation machinery.
"""

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings

SPOKEN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}
HIDDEN_ELEMENTS = {"script", "style", "template"}
TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
WORDS = re.compile(r"[A-Za-z][A-Za-z’']+")


def _plain(text: str) -> str:
    return " ".join(TAG.sub(" ", text).split())


@functools.cache
def english_phrases(lang: str) -> tuple[frozenset[str], tuple[re.Pattern, ...], dict]:
    """The catalogue's English, as whole texts, as patterns, and as phrases of 3+ words
    (by their first three words, so a page's text is looked up rather than scanned)."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / lang / "LC_MESSAGES" / "django.po"))
    whole, patterns, phrases = set(), [], {}
    for entry in po:
        ids = [entry.msgid, *([entry.msgid_plural] if entry.msgid_plural else [])]
        said = [entry.msgstr, *entry.msgstr_plural.values()]
        for msgid in ids:
            text = _plain(msgid)
            if not WORDS.search(text) or text in (_plain(s) for s in said):
                continue  # a name, a format, or a word both languages write alike
            if "%" in text and PLACEHOLDER.search(text):
                # "%(a)s to %(b)s" would match any text with " to " in it: a pattern needs
                # two English words of its own to say the text is this message.
                if len(WORDS.findall(PLACEHOLDER.sub(" ", text))) >= 2:
                    pattern = re.escape(PLACEHOLDER.sub("\0", text)).replace("\0", ".+?")
                    patterns.append(re.compile(f"^{pattern}$"))
            else:
                whole.add(text)
            for piece in PLACEHOLDER.split(TAG.sub("\0", msgid)):
                for phrase in piece.split("\0"):
                    phrase = " ".join(phrase.split())
                    words = WORDS.findall(phrase)
                    if len(words) >= 3:
                        phrases.setdefault(tuple(words[:3]), set()).add(phrase)
    return frozenset(whole), tuple(patterns), phrases


class _Visible(HTMLParser):
    def __init__(self, hidden_elements=HIDDEN_ELEMENTS):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0
        self.hidden_elements = hidden_elements

    def handle_starttag(self, tag, attrs):
        if tag in self.hidden_elements:
            self.hidden += 1
        for name, value in attrs:
            if value and (
                name in SPOKEN_ATTRIBUTES
                or (name == "value" and dict(attrs).get("type") in ("submit", "button"))
            ):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in self.hidden_elements and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data)


def visible_texts(html: str, also_hidden: set[str] = frozenset()) -> list[str]:
    parser = _Visible(HIDDEN_ELEMENTS | also_hidden)
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts]


def english_left(html: str, lang: str) -> list[str]:
    whole, patterns, phrases = english_phrases(lang)
    found = []
    for text in visible_texts(html):
        words = WORDS.findall(text)
        starts = (phrases.get(tuple(words[i : i + 3]), ()) for i in range(len(words) - 2))
        if (
            text in whole
            or any(phrase in text for start in starts for phrase in start)
            or any(p.match(text) for p in patterns)
        ):
            found.append(text)
    return found
