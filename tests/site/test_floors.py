"""The floors of docs/architecture.md are held by import-linter (`make lint`); here, that it
would catch a module reaching up a floor, on a copy of the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = ["core", "outbox", "accounts", "coaching", "cycles", "observations"]
APPS += ["notifications", "reports", "video", "growth", "records", "homes", "devdata", "config"]
# The other top-level folders: no Python a floor could import (`deploy/` holds the
# configuration of the pieces a district runs beside Tandem, and `make cluster`'s script).
BESIDE_THE_FLOORS = ["templates", "static", "locale", "tests", "docs", "deploy"]


@pytest.fixture
def code(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_every_top_level_folder_is_a_floor_or_named_beside_them():
    try:
        tracked = subprocess.run(
            ["git", "ls-files"],  # noqa: S607 - git from the PATH, on this checkout
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked folders are unknown")
    folders = {path.split("/")[0] for path in tracked if "/" in path}
    folders = {folder for folder in folders if not folder.startswith(".")}
    # A new folder is a floor (pyproject's layers contract, here and docs/architecture.md)
    # or one of those beside them, named where a newcomer reads the plan.
    assert folders == set(APPS) | set(BESIDE_THE_FLOORS)
    plan = (ROOT / "docs" / "architecture.md").read_text()
    for folder in BESIDE_THE_FLOORS:
        assert f"`{folder}/`" in plan


def lint_imports(where):
    return subprocess.run(  # noqa: S603 - our own lint-imports, on a copy of this checkout
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True
    )


def test_the_code_as_it_is_keeps_every_floor(code):
    result = lint_imports(code)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "reaching_up_to"),
    [
        ("core/locking.py", "accounts.models"),
        ("accounts/services.py", "coaching.selectors"),
        ("coaching/selectors.py", "cycles.models"),
        ("observations/models.py", "records.models"),
        ("homes/views.py", "devdata.demo.people"),
        ("reports/counts.py", "observations.models"),
        ("core/locking.py", "config.checks"),
    ],
)
def test_one_import_reaching_up_a_floor_fails_the_lint(code, module, reaching_up_to):
    path = code / module
    path.write_text(path.read_text() + f"\nimport {reaching_up_to}  # noqa\n")
    result = lint_imports(code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert reaching_up_to in result.stdout
