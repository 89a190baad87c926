"""No template writes a word outside the translation tags: what is left of a template once
its tags, variables and comments are taken out has no letter a person would read. This
catches the English that no catalogue knows of, which the Spanish crawl cannot."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.translation import visible_texts

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The product's name and the goal checklist's acronym, written alike in every language.
ALIKE = re.compile(r"\b(Tandem|PEERS)\b")
REMOVED = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
LETTERS = re.compile(r"[A-Za-z]{2,}")


def _untagged(source: str) -> str:
    for pattern in REMOVED:
        source = pattern.sub(" ", source)
    return source


def _words_left(path: Path) -> list[str]:
    left = _untagged(path.read_text())
    # What sits in <code> is for a machine to read, as typed (a CSV's columns).
    texts = [left] if path.suffix == ".txt" else visible_texts(left, also_hidden={"code"})
    return [t.strip() for t in texts if LETTERS.search(ALIKE.sub("", t))]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt")),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_every_word_of_a_template_is_translatable(path):
    assert _words_left(path) == []


def test_the_check_finds_a_word_left_out(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Home" %}</h1><button aria-label="Close">×</button>'
        "{# a comment #}<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %} there</p>"
    )
    assert _words_left(page) == ["Close", "there"]
