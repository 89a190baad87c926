"""Every language's catalogue is whole: no entry missing, fuzzy or stale, its placeholders
those of the English, the compiled .mo what the .po says, and nothing in the code that
`makemessages` would still add (docs/translating.md)."""

import re
import shutil
import subprocess  # nosec B404 - runs this project's own manage.py
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
CATALOGUES = [(lang, domain) for lang in LANGUAGES for domain in DOMAINS]
# Python's named and bare placeholders, and the JavaScript catalogue's `interpolate` ones.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def catalogue(lang, domain) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"))


def key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize(("lang", "domain"), CATALOGUES)
def test_every_entry_is_translated_and_none_is_fuzzy(lang, domain):
    po = catalogue(lang, domain)
    assert len(po) > 0
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    stale = [e.msgid for e in po.obsolete_entries()]
    assert (missing, fuzzy, stale) == ([], [], [])


@pytest.mark.parametrize(("lang", "domain"), CATALOGUES)
def test_a_translation_keeps_the_placeholders_of_its_english(lang, domain):
    wrong = []
    for entry in catalogue(lang, domain).translated_entries():
        texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in texts:
            english = entry.msgid if not entry.msgid_plural else entry.msgid_plural
            # A singular may say "one" where the English names its count.
            wanted = set(PLACEHOLDER.findall(english))
            found = set(PLACEHOLDER.findall(text))
            if found - wanted or (not entry.msgid_plural and wanted - found):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize(("lang", "domain"), CATALOGUES)
def test_the_compiled_catalogue_is_the_one_written(lang, domain):
    po = catalogue(lang, domain)
    mo = polib.mofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.mo"))
    written = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in po.translated_entries()}
    compiled = {
        key(e): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()}) for e in mo if e.msgid
    }
    written = {k: (s, {int(n): v for n, v in p.items()}) for k, (s, p) in written.items()}
    assert compiled == written


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (.ci/run installs it)")
def test_makemessages_finds_nothing_new(tmp_path):
    """What CI runs: extracting every string again adds no entry a catalogue lacks."""
    copy = tmp_path / "tandem"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "node_modules", "media", "staticfiles", "tests", "__pycache__", "*.sqlite3"
        ),
    )
    ignore = ["-i", "devdata/*", "-i", "static/vendor/*"]
    for domain in DOMAINS:
        subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments
            [sys.executable, "manage.py", "makemessages", "-d", domain, "--all", *ignore],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "DJANGO_READ_DOT_ENV_FILE": "false"},
        )
    for lang, domain in CATALOGUES:
        extracted = polib.pofile(str(copy / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"))
        kept = {key(e) for e in catalogue(lang, domain) if not e.obsolete}
        assert {key(e) for e in extracted if not e.obsolete} - kept == set()
