"""A large district's package: 20,000 staff over 200 schools, with 100,000 student rows
passed over, previewed and applied within a request's time, in a bounded number of
queries; then the same package again, which changes nothing."""

import io
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, User
from accounts.oneroster.services import roster_package_apply, roster_package_preview
from tests.support.oneroster import staff_package

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

STAFF = 20_000


def test_twenty_thousand_staff_are_previewed_and_applied_within_a_request(district, capsys):
    data = staff_package(STAFF, schools=200, students=100_000).zip()
    timings = {}
    for round_ in ("first", "again"):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as previewing:
            record, plan = roster_package_preview(
                actor=None, district=district, upload=io.BytesIO(data), file_name="big.zip"
            )
        previewed = time.perf_counter()
        assert plan.refusals == []
        with CaptureQueriesContext(connection) as applying:
            assert roster_package_apply(actor=None, record=record).applied
        applied = time.perf_counter()
        timings[round_] = (
            previewed - started,
            applied - previewed,
            len(previewing),
            len(applying),
            plan.changes(),
        )
    with capsys.disabled():
        for round_, (p, a, qp, qa, changes) in timings.items():
            print(
                f"\n{round_}: {len(data) / 2**20:.1f} MB package, {changes} changes: preview "
                f"{p:.1f} s ({qp} queries), apply {a:.1f} s ({qa} queries)"
            )
    assert User.objects.filter(roster_links__district=district).count() == STAFF
    assert Membership.objects.filter(from_roster=True).count() == STAFF
    assert timings["again"][4] == 0  # the same package again changes nothing
    # The figures are printed, not asserted (README "Performance"); the queries are bounded.
    for _, _, qp, qa, _ in timings.values():
        assert qp < 200
        assert qa < 1000  # SQLite inserts some 90 rows a query; PostgreSQL 1,000
