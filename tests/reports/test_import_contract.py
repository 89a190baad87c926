"""The boundary of the reports app, enforced: it never imports the observations app or a
model that holds coaching words, and never names a text field of a coaching record; and the
layering reads upward, so nothing in accounts, coaching or cycles imports reports."""

import ast
from pathlib import Path

from django.db import models

import reports
from coaching import models as coaching_models
from cycles import models as cycles_models
from observations import models as observation_models
from reports.wall import READABLE

REPORTS = Path(reports.__file__).parent
BELOW_REPORTS = ["accounts", "coaching", "cycles"]
WORDY_MODELS = {
    "Goal",
    "EvidenceSnapshot",
    "ProgressPoint",
    "Reflection",
    "PhaseChange",
    "Meeting",
    "NextStep",
    "CoachNote",
}


def readable_field_names():
    """Names of the columns the reports' database role may read (reports/wall.py)."""
    names = set()
    for model, fields in READABLE.items():
        names |= {f.name for f in model._meta.concrete_fields} if fields is None else set(fields)
    return names


def forbidden_field_names():
    """Every free-text field of a coaching record, and people's e-mail addresses, except
    where the same name is a column reports may read (a snapshot's own period, say)."""
    names = {"email"}
    for module in (coaching_models, cycles_models, observation_models):
        for model in vars(module).values():
            if not (isinstance(model, type) and issubclass(model, models.Model)):
                continue
            if model.__module__ != module.__name__ or model._meta.abstract:
                continue
            for field in model._meta.concrete_fields:
                textual = isinstance(field, (models.TextField, models.CharField))
                if textual and not field.choices:
                    names.add(field.name)
    return names - readable_field_names()


def modules_under(folder: Path):
    files = sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)
    assert files, f"{folder} has moved: update this contract"
    return [(path, ast.parse(path.read_text())) for path in files]


def report_modules():
    return modules_under(REPORTS)


def imported_names(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                yield node.module or "", alias.name


def test_reports_never_import_the_observations_app():
    for path, tree in report_modules():
        for module, name in imported_names(tree):
            assert not module.startswith("observations"), f"{path.name} imports {module}"
            assert "observations" not in name, f"{path.name} imports {name}"


def test_reports_never_import_a_model_that_holds_coaching_words():
    for path, tree in report_modules():
        for module, name in imported_names(tree):
            assert name not in WORDY_MODELS, f"{path.name} imports {name} from {module}"


def test_reports_never_name_a_text_field():
    forbidden = forbidden_field_names()
    assert {"statement", "text", "summary", "notes", "title"} <= forbidden
    for path, tree in report_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                parts = set(node.value.split("__"))
                clash = parts & forbidden
                # Docstrings and messages are prose; look at identifier-like strings only.
                if node.value.replace("__", "").replace("_", "").isalnum():
                    assert not clash, f"{path.name} names {clash} in {node.value!r}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in forbidden, f"{path.name} reads .{node.attr}"


def test_nothing_below_reports_imports_them():
    for app in BELOW_REPORTS:
        for path, tree in modules_under(REPORTS.parent / app):
            for module, name in imported_names(tree):
                assert not module.startswith("reports"), f"{app}/{path.name} imports {module}"
                assert not (module == "" and name == "reports"), f"{app}/{path.name}"
