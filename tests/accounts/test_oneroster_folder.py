"""The roster folder a nightly task reads (the district's SFTP drop), and the command."""

import datetime
import os

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, RosterImport, User
from accounts.tasks import import_roster_folder
from outbox.models import OutboxMessage
from tests.support.oneroster import small_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def drop(tmp_path, settings):
    settings.ONEROSTER_DROP_DIR = str(tmp_path)
    return tmp_path


def put(folder, name, data, minutes_ago=10):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    # Its upload finished a while ago (the frozen clock's while).
    from django.utils import timezone

    moment = (timezone.now() - datetime.timedelta(minutes=minutes_ago)).timestamp()
    os.utime(path, (moment, moment))
    return path


@pytest.fixture
def known(district):
    """A district whose sourcedId the roster folder knows it by."""
    district.sourced_id = "d-1"
    district.save()
    return district


def test_the_nightly_task_applies_each_new_package_and_moves_it_aside(drop, known):
    put(drop / "d-1", "2026-11-22.zip", small_district().zip())
    counts = import_roster_folder()
    assert counts["applied"] == 1
    assert Membership.objects.filter(user__email="ada@riverside.example", from_roster=True).exists()
    assert [p.name for p in (drop / "d-1").iterdir() if p.is_file()] == []
    assert [p.name.endswith("-2026-11-22.zip") for p in (drop / "d-1" / "applied").iterdir()] == [
        True
    ]
    record = RosterImport.objects.get()
    assert (record.source, record.status, record.uploaded_by) == ("folder", "applied", None)
    # A second run finds nothing new.
    assert import_roster_folder()["applied"] == 0


def test_a_refused_package_is_kept_aside_shown_and_mailed_to_the_districts_administrators(
    drop, known, district_admin, school_admin
):
    roster = small_district().role("r-99", "u-ada", "teacher", "s-nowhere")
    put(drop / "d-1", "bad.zip", roster.zip())
    assert import_roster_folder()["refused"] == 1
    assert not User.objects.filter(email="ada@riverside.example").exists()
    assert [p.name.endswith("-bad.zip") for p in (drop / "d-1" / "refused").iterdir()] == [True]
    record = RosterImport.objects.get()
    assert record.refusals[0]["value"] == "s-nowhere"
    [message] = OutboxMessage.objects.all()
    assert message.recipient == district_admin.email
    assert f"/people/oneroster/{record.pk}/" in message.body
    assert "s-nowhere" not in message.body  # the page says what, the mail only where


def test_packages_are_applied_oldest_first(drop, known):
    bulk = small_district()
    delta = small_district(mode="delta")
    delta.orgs, delta.sessions, delta.roles = [], [], []
    delta.users = [u for u in delta.users if u["sourcedId"] == "u-ada"]
    delta.users[0]["familyName"] = "King"
    put(drop / "d-1", "b-delta.zip", delta.zip(), minutes_ago=10)
    put(drop / "d-1", "a-bulk.zip", bulk.zip(), minutes_ago=20)
    assert import_roster_folder()["applied"] == 2
    assert User.objects.get(email="ada@riverside.example").full_name == "Ada King"


def test_a_package_still_arriving_waits_for_the_next_run(drop, known):
    put(drop / "d-1", "p.zip", small_district().zip(), minutes_ago=0)
    assert import_roster_folder()["applied"] == 0
    assert (drop / "d-1" / "p.zip").exists()


def test_a_folder_of_no_district_is_left_alone(drop, known):
    put(drop / "d-unknown", "p.zip", small_district().zip())
    assert import_roster_folder() == {"applied": 0, "refused": 0, "expired": 0}
    assert (drop / "d-unknown" / "p.zip").exists()


def test_packages_kept_aside_are_forgotten_after_a_while(drop, known, settings):
    settings.ONEROSTER_KEEP_DAYS = 30
    old = put(drop / "d-1" / "applied", "old.zip", b"x", minutes_ago=31 * 24 * 60)
    recent = put(drop / "d-1" / "applied", "recent.zip", b"x", minutes_ago=24 * 60)
    import_roster_folder()
    assert not old.exists()
    assert recent.exists()


def test_no_folder_configured_does_nothing(settings):
    settings.ONEROSTER_DROP_DIR = ""
    assert import_roster_folder()["applied"] == 0


def test_the_command_previews_with_dry_run_then_applies(tmp_path, district, capsys):
    path = tmp_path / "p.zip"
    path.write_bytes(small_district().zip())
    call_command("import_oneroster", district.name, str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "people add: 5" in out
    # The rows themselves, not only how many.
    assert "\nPeople to add: 5\n" in out
    assert "\n  Ada Lovelace · ada@riverside.example\n" in out
    assert "\n  Katherine Johnson · School administrator · Riverside Elementary\n" in out
    assert "Dry run: nothing changed." in out
    assert not User.objects.filter(email="ada@riverside.example").exists()
    call_command("import_oneroster", str(district.pk), str(path))
    out = capsys.readouterr().out
    assert "\nRoles given: 6\n" in out
    assert "Applied." in out
    assert User.objects.filter(email="ada@riverside.example").exists()
    call_command("import_oneroster", "d-1", str(path))  # by its sourcedId now
    assert "roles add: 0" in capsys.readouterr().out


def test_the_command_says_why_a_package_is_refused(tmp_path, district):
    path = tmp_path / "p.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="Refused: 1 problem"):
        call_command("import_oneroster", district.name, str(path))
    with pytest.raises(CommandError, match="No one district"):
        call_command("import_oneroster", "Atlantis", str(path))


def test_unapplied_previews_lose_their_staff_rows_and_old_packages_are_forgotten(
    known, clock, settings
):
    import io

    from accounts.oneroster.services import roster_package_preview

    settings.ONEROSTER_KEEP_DAYS = 30
    record, _ = roster_package_preview(
        actor=None, district=known, upload=io.BytesIO(small_district().zip()), file_name="p.zip"
    )
    clock.shift(datetime.timedelta(hours=2))
    assert import_roster_folder()["expired"] == 1
    record.refresh_from_db()
    assert (record.status, record.extract) == ("expired", None)
    clock.shift(datetime.timedelta(days=31))
    import_roster_folder()
    assert not RosterImport.objects.exists()


def test_a_link_in_the_folder_is_left_where_it_is_unread_and_logged(drop, known, caplog):
    elsewhere = put(drop.parent / "elsewhere", "2026-11-22.zip", small_district().zip())
    link = drop / "d-1" / "peek.zip"
    link.parent.mkdir()
    link.symlink_to(elsewhere)
    os.utime(link, (0, 0), follow_symlinks=False)
    assert import_roster_folder()["applied"] == 0
    assert link.is_symlink()
    assert not RosterImport.objects.exists()
    assert "peek.zip is not a regular file (a link?): left alone, unread" in caplog.text


def test_a_hard_link_is_left_alone_too(drop, known):
    elsewhere = put(drop.parent / "elsewhere", "2026-11-22.zip", small_district().zip())
    (drop / "d-1").mkdir()
    os.link(elsewhere, drop / "d-1" / "peek.zip")
    assert import_roster_folder()["applied"] == 0
    assert not RosterImport.objects.exists()


def test_a_district_folder_that_is_a_link_is_left_alone(drop, known, caplog):
    put(drop.parent / "elsewhere", "2026-11-22.zip", small_district().zip())
    (drop / "d-1").symlink_to(drop.parent / "elsewhere")
    assert import_roster_folder()["applied"] == 0
    assert not RosterImport.objects.exists()
    assert "is not a folder (a link?)" in caplog.text


def test_a_district_whose_applied_folder_is_a_link_is_left_alone(drop, known, caplog):
    """Else its packages would be moved wherever the link points: into another district's
    folder, to be applied there the next night."""
    put(drop / "d-1", "2026-11-22.zip", small_district().zip())
    (drop / "d-other").mkdir()
    (drop / "d-1" / "applied").symlink_to(drop / "d-other")
    assert import_roster_folder()["applied"] == 0
    assert (drop / "d-1" / "2026-11-22.zip").exists()
    assert list((drop / "d-other").iterdir()) == []
