"""Backing up and restoring a small installation: encrypted to a key the server never
holds, refused over a database or folder in use unless told, and refused, changing
nothing, for a backup that is damaged, cut short, from a newer Tandem or no backup at all."""

import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.backups.archive import sealed
from core.backups.databases import connected, settings_from_url, target_tables
from tests import factories

from .conftest import backup, every_file, every_row, needs_age, restore

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(media_root, cycle, teacher):
    """A school's coaching records and a teacher's lesson video, its files on disk."""
    video = factories.VideoFactory(cycle=cycle, owner=teacher)
    factories.VideoCommentFactory(video=video, text="Wait time after the question")
    return media_root


def nothing_changed(url: str, media: Path) -> bool:
    _, present = target_tables(settings_from_url(url))
    return present == [] and not media.exists()


def age_key(folder: Path, name: str) -> tuple[Path, str]:
    """A new age key pair, as `age-keygen` makes it: the secret's file and the public key."""
    secret = folder / f"{name}.key"
    subprocess.run(  # noqa: S603
        ["age-keygen", "-o", str(secret)],  # noqa: S607
        check=True,
        capture_output=True,
    )
    public = next(
        line.split(": ")[1] for line in secret.read_text().splitlines() if "public key" in line
    )
    return secret, public


@needs_age
def test_an_encrypted_backup_restores_with_its_key_and_no_other(
    site, restore_target, tmp_path, teacher
):
    key, recipient = age_key(tmp_path, "district")
    other_key, _ = age_key(tmp_path, "someone-else")
    made = backup(tmp_path / "backups", "--recipient", recipient)
    assert made.name.endswith(".tar.age")
    sealed = made.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n")
    video_bytes = next(p for p in site.rglob("lesson.mp4")).read_bytes()
    for plain in (teacher.email.encode(), b"Wait time after the question", video_bytes):
        assert plain not in sealed

    restored_media = tmp_path / "restored" / "media"
    with pytest.raises(CommandError, match="is encrypted: give the key that opens it"):
        restore(made, restore_target, restored_media)
    with pytest.raises(CommandError, match="This key does not open this backup"):
        restore(made, restore_target, restored_media, "--identity", str(other_key))
    assert nothing_changed(restore_target, restored_media)

    restore(made, restore_target, restored_media, "--identity", str(key))
    assert every_row(restore_target) == every_row()
    assert every_file(restored_media) == every_file(site)


@needs_age
def test_a_recipient_age_cannot_encrypt_to_is_refused_before_anything_is_written(site, tmp_path):
    with pytest.raises(CommandError, match="age cannot encrypt to that recipient"):
        backup(tmp_path / "backups", "--recipient", "age1-not-a-key")
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_database_that_holds_tandem_is_refused_unless_told(site, restore_target, tmp_path):
    made = backup(tmp_path / "backups")
    restore(made, restore_target, tmp_path / "first")
    expected = every_row(restore_target)

    with pytest.raises(CommandError, match="already holds Tandem's tables"):
        restore(made, restore_target, tmp_path / "second")
    assert not (tmp_path / "second").exists()

    # Someone went on working in it; --force puts the backup's tables back as they were.
    with connected(settings_from_url(restore_target)) as database, database.cursor() as cursor:
        cursor.execute("DELETE FROM video_videocomment")
    said = restore(made, restore_target, tmp_path / "second", "--force")
    assert every_row(restore_target) == expected
    assert "every table's count is the backup's" in said


def test_a_media_folder_that_holds_files_is_refused_unless_told(site, restore_target, tmp_path):
    made = backup(tmp_path / "backups")
    restored_media = tmp_path / "restored" / "media"
    restored_media.mkdir(parents=True)
    (restored_media / "notes.txt").write_text("kept by IT")

    with pytest.raises(CommandError, match=r"media folder .* is not empty .*notes\.txt"):
        restore(made, restore_target, restored_media)
    _, present = target_tables(settings_from_url(restore_target))
    assert present == []

    said = restore(made, restore_target, restored_media, "--force")
    assert every_file(restored_media) == {**every_file(site), "notes.txt": b"kept by IT"}
    assert "left as they were: 1 file the backup does not have (notes.txt)" in said


def member(archive: Path, named: str) -> tarfile.TarInfo:
    with tarfile.open(archive) as tar:
        return next(m for m in tar.getmembers() if named in m.name)


def flipped_in_the_video(made: Path) -> None:
    at = member(made, "lesson.mp4").offset_data + 20
    with made.open("r+b") as handle:
        handle.seek(at)
        byte = handle.read(1)
        handle.seek(at)
        handle.write(bytes([byte[0] ^ 0xFF]))


def cut_in_half(made: Path) -> None:
    with made.open("r+b") as handle:
        handle.truncate(made.stat().st_size // 2)


def cut_before_the_manifest(made: Path) -> None:
    with made.open("r+b") as handle:
        handle.truncate(member(made, "manifest.json").offset)


def a_row_count_changed_in_the_manifest(made: Path) -> None:
    at = member(made, "manifest.json").offset_data
    with made.open("r+b") as handle:
        handle.seek(at)
        manifest = handle.read(member(made, "manifest.json").size)
        digit = manifest.index(b'"accounts_user": ') + len(b'"accounts_user": ')
        handle.seek(at + digit)
        handle.write(b"9" if manifest[digit : digit + 1] != b"9" else b"8")


def replaced_by_the_database_dump(made: Path) -> None:
    with tarfile.open(made) as tar:
        dump = tar.extractfile(member(made, "database.")).read()
    made.write_bytes(dump)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (flipped_in_the_video, r"lesson\.mp4” is not what was backed up .*sha256"),
        (cut_in_half, "damaged or cut short"),
        (cut_before_the_manifest, "ends before its manifest: the file was cut short"),
        (a_row_count_changed_in_the_manifest, "manifest is damaged: it is not what the backup"),
        (replaced_by_the_database_dump, "It is not a Tandem backup"),
    ],
)
def test_a_damaged_backup_is_refused_and_changes_nothing(
    site, restore_target, tmp_path, damage, said
):
    made = backup(tmp_path / "backups")
    damage(made)
    restored_media = tmp_path / "restored" / "media"
    with pytest.raises(CommandError, match=said):
        restore(made, restore_target, restored_media)
    assert nothing_changed(restore_target, restored_media)
    assert not (tmp_path / "restored").exists()


def test_a_backup_from_a_newer_tandem_is_refused(site, restore_target, tmp_path):
    made = backup(tmp_path / "backups")
    newer = tmp_path / "newer.tar"
    with tarfile.open(made) as old, tarfile.open(newer, "w", format=tarfile.PAX_FORMAT) as new:
        for entry in old.getmembers():
            data = old.extractfile(entry).read() if entry.isfile() else b""
            if entry.name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"]["video"].append("0099_what_comes_next")
                data = sealed(manifest)
                entry.size = len(data)
            new.addfile(entry, io.BytesIO(data) if entry.isfile() else None)
    restored_media = tmp_path / "restored" / "media"
    with pytest.raises(CommandError, match=r"made by a newer Tandem.*video\.0099_what_comes_next"):
        restore(newer, restore_target, restored_media)
    assert nothing_changed(restore_target, restored_media)


def test_video_in_a_bucket_is_named_as_not_in_the_backup(site, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "video": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "district-lesson-video", "region_name": "us-east-1"},
        },
    }
    said = io.StringIO()
    (tmp_path / "backups").mkdir()
    call_command("backup", str(tmp_path / "backups"), stdout=said)
    assert "Not in this backup: the “video” files, in the bucket district-lesson-video" in (
        said.getvalue()
    )


def test_files_kept_on_disk_outside_the_media_folder_are_refused(site, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "video": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "elsewhere"), "base_url": None},
        },
    }
    (tmp_path / "backups").mkdir()
    with pytest.raises(CommandError, match="outside MEDIA_ROOT"):
        call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO())
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_backup_never_writes_over_another_nor_names_a_file_for_a_missing_folder(site, tmp_path):
    made = backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="a backup never writes over another"):
        call_command("backup", str(made), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"There is no folder .*; a backup file's name ends"):
        call_command("backup", str(tmp_path / "mistyped"), stdout=io.StringIO())
    assert not (tmp_path / "mistyped").exists()


def test_a_mistyped_database_url_is_named_without_repeating_its_password(site, tmp_path):
    made = backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="not a database URL Tandem reads") as refused:
        restore(made, "postgress://tandem:s3cret@db/tandem", tmp_path / "media")
    assert "s3cret" not in str(refused.value)
    with pytest.raises(CommandError, match="not a database URL Tandem reads"):
        restore(made, "notaurl", tmp_path / "media")


@needs_age
def test_a_public_key_given_for_the_secret_one_is_named_as_such(site, restore_target, tmp_path):
    _, recipient = age_key(tmp_path, "district")
    made = backup(tmp_path / "backups", "--recipient", recipient)
    public = tmp_path / "district.pub"
    public.write_text(recipient + "\n")
    with pytest.raises(CommandError, match="The key file is not an age secret key"):
        restore(made, restore_target, tmp_path / "media", "--identity", str(public))
    assert nothing_changed(restore_target, tmp_path / "media")


def test_a_restore_over_a_database_in_use_is_refused_and_changes_nothing(
    site, restore_target, tmp_path
):
    """The site still running while IT restores with --force: the restore would wait for
    its tables for ever, and stall every request meanwhile."""
    if "postgres" not in restore_target:
        pytest.skip("SQLite is replaced in one rename; PostgreSQL tables are locked")
    made = backup(tmp_path / "backups")
    restore(made, restore_target, tmp_path / "first")
    expected = every_row(restore_target)
    with connected(settings_from_url(restore_target)) as site_session:
        site_session.set_autocommit(False)
        with site_session.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM accounts_user")  # a request in progress
        with pytest.raises(CommandError, match=r"The database is in use: .*nothing was changed"):
            restore(made, restore_target, tmp_path / "second", "--force")
        site_session.rollback()
    assert every_row(restore_target) == expected
