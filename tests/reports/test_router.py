"""The reports' router: report pages read releases through the reports connection (a
streaming replica in `make cluster`), and everything else, every write and every read made
on the way to a write, goes to the primary."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import router, transaction
from django.test import override_settings

from accounts.models import School, User
from cycles.models import Cycle
from reports.models import ReleasedFigures, ReportRelease, SealedTerm

PROJECT = Path(__file__).resolve().parents[2]
ON_A_REPLICA = override_settings(REPORTS_DATABASE="reports")


@ON_A_REPLICA
@pytest.mark.parametrize("model", [ReportRelease, ReleasedFigures, SealedTerm])
def test_releases_are_read_through_the_reports_connection(model):
    assert router.db_for_read(model) == "reports"


@ON_A_REPLICA
@pytest.mark.parametrize("model", [User, School, Cycle])
def test_everything_else_is_read_on_the_primary(model):
    assert router.db_for_read(model) == "default"


def test_without_a_reports_connection_releases_are_read_on_the_default_one():
    assert router.db_for_read(ReportRelease) == "default"


@ON_A_REPLICA
def test_a_release_read_from_the_replica_is_written_on_the_primary():
    release = ReportRelease(number=1)
    release._state.db = "reports"  # as a row fetched through the reports connection is
    assert router.db_for_write(ReportRelease, instance=release) == "default"
    assert router.db_for_write(ReleasedFigures) == "default"


@ON_A_REPLICA
@pytest.mark.django_db(transaction=True)
def test_a_transaction_reads_releases_on_the_primary_it_writes_to():
    # release_district numbers its release after the latest one, under a lock: read on a
    # replica a moment behind, the latest would be the one before and the number taken.
    assert router.db_for_read(ReportRelease) == "reports"
    with transaction.atomic():
        assert router.db_for_read(ReportRelease) == "default"
        assert router.db_for_read(SealedTerm) == "default"
    assert router.db_for_read(ReportRelease) == "reports"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "reports")
    assert router.allow_migrate("default", "accounts")
    assert not router.allow_migrate("reports", "reports")
    assert not router.allow_migrate("reports", "accounts")


@ON_A_REPLICA
def test_a_release_may_point_at_a_school_read_on_the_primary():
    release = ReportRelease(number=1)
    release._state.db = "reports"
    school = School(name="Riverside")
    school._state.db = "default"
    assert router.allow_relation(release, school)


def test_the_reports_connection_is_kept_and_checked_like_the_default_one():
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://tandem:pw@127.0.0.1:6432/tandem",
        "REPORTS_DATABASE_URL": "postgres://tandem_reports:pw@127.0.0.1:5433/tandem",
        "CONN_MAX_AGE": "90",
    }
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES['reports']; print(json.dumps([s.REPORTS_DATABASE, r['PORT'], "
        "r['CONN_MAX_AGE'], r['CONN_HEALTH_CHECKS'], s.DATABASE_ROUTERS]))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own settings
        [sys.executable, "-c", probe],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "reports",
        5433,
        90,
        True,
        ["reports.routers.ReportsRouter"],
    ]
