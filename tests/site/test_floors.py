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
APPS += ["notifications", "reports", "video", "records", "homes", "devdata", "config"]


@pytest.fixture
def code(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


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
