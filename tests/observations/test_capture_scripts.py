"""The capture page's script is ES modules (static/js/capture/), loaded with no build step.
Each must reach the browser under the name it is imported by, in production's hashed names
too, and be kept for a reload with no network."""

import importlib
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MODULES = settings.BASE_DIR / "static" / "js" / "capture"
IMPORT = re.compile(r'^import .* from "\./([^"]+)";$', re.MULTILINE)


def test_the_capture_page_names_every_module_it_keeps_for_offline_use(client_for, coach, world):
    # main.js keeps for offline use the files the page links to: a module left out would be
    # missing when the page is reloaded with no network.
    page = client_for(coach).get(f"/observations/{world.draft.pk}/capture/").text
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/js/capture/([^"]+)">', page)
    assert sorted(preloaded) == sorted(m.name for m in MODULES.glob("*.js") if m.name != "main.js")


def test_in_production_each_module_imports_the_hashed_names(tmp_path, settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    production = importlib.import_module("config.settings.production")
    settings.STORAGES = {**settings.STORAGES, "staticfiles": production.STORAGES["staticfiles"]}
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)

    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = {module.name: paths[f"js/capture/{module.name}"] for module in MODULES.glob("*.js")}
    for name, stored in hashed.items():
        imports = IMPORT.findall((MODULES / name).read_text())
        collected = IMPORT.findall((tmp_path / stored).read_text())
        assert collected == [hashed[i].removeprefix("js/capture/") for i in imports], name
    assert IMPORT.findall((MODULES / "main.js").read_text())
