"""Encryption of a backup with age (https://age-encryption.org, Debian's `age` package).

Why age rather than gpg: a backup is encrypted to a recipient's public key (one line,
`age1...`, or an SSH public key), so the server that makes backups never holds the key
that opens them; there is no keyring, agent or trust database to keep on the server; and
its format authenticates every 64 KiB chunk and marks the last one, so a backup changed or
cut short fails to decrypt instead of restoring something else. gpg does all of this too,
behind far more state and options to get wrong. age reads and writes streams, so a backup
is encrypted as it is written and decrypted as it is restored, never held whole.
"""

import shutil

# age is run with list argvs, never through a shell; its path is found with shutil.which.
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from . import BackupError

# The first bytes of an age file, binary or armored (age's format specification).
MAGIC = (b"age-encryption.org/", b"-----BEGIN AGE ENCRYPTED FILE-----")
MISSING = "Encrypting and decrypting backups takes age: install it (apt-get install age)."


def _age() -> str:
    found = shutil.which("age")
    if found is None:
        raise BackupError(MISSING)
    return found


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(64)
    return start.startswith(MAGIC)


def _recipient_args(recipients: list[str], recipients_file: Path | None) -> list[str]:
    args = [arg for recipient in recipients for arg in ("--recipient", recipient)]
    if recipients_file is not None:
        args += ["--recipients-file", str(recipients_file)]
    return args


def check_recipients(recipients: list[str], recipients_file: Path | None) -> None:
    """Refuse a recipient age cannot encrypt to now, before the database is dumped."""
    done = subprocess.run(  # noqa: S603 # nosec B603
        [_age(), "--encrypt", *_recipient_args(recipients, recipients_file)],
        input=b"",
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"age cannot encrypt to that recipient: {_said(done.stderr)}")


@contextmanager
def encrypting(
    target: IO[bytes], recipients: list[str], recipients_file: Path | None
) -> Iterator[IO[bytes]]:
    """A stream whose bytes reach `target` encrypted to the recipients."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 # nosec B603
            [_age(), "--encrypt", *_recipient_args(recipients, recipients_file)],
            stdin=subprocess.PIPE,
            stdout=target,
            stderr=errors,
        )
        stdin = _piped(process.stdin)
        try:
            yield stdin
            stdin.close()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if process.wait() != 0:
            errors.seek(0)
            raise BackupError(f"age could not encrypt the backup: {_said(errors.read())}")


@contextmanager
def decrypting(path: Path, identity: Path) -> Iterator[IO[bytes]]:
    """The backup's plain bytes, decrypted as they are read. When age fails (a key that
    does not open it, a file changed or cut short), its reason is raised, whatever the
    reader made of the bytes it got before."""
    if not identity.is_file():
        raise BackupError(f"There is no key file at {identity}.")
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 # nosec B603
            [_age(), "--decrypt", "--identity", str(identity), str(path)],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        stdout = _piped(process.stdout)
        failure: BaseException | None = None
        try:
            yield stdout
            # To the end: age checks the last chunk, and knows the file whole, only there.
            while stdout.read(1024 * 1024):
                pass
        except BaseException as error:
            failure = error
        # A reader that stopped early (a wrong file) leaves age blocked on a full pipe.
        stdout.close()
        if failure is not None and process.poll() is None:
            process.kill()
        returncode = process.wait()
        if returncode > 0:
            errors.seek(0)
            said = _said(errors.read())
            raise BackupError(_why(said)) from failure
        if failure is not None:
            raise failure


def _piped(stream: IO[bytes] | None) -> IO[bytes]:
    if stream is None:  # only when Popen was not asked for a pipe
        raise BackupError("age was started without its pipe.")
    return stream


def _why(said: str) -> str:
    if "no identity matched" in said:
        return f"This key does not open this backup (age: {said})."
    if "identity" in said:
        # A public key or a recipients file given where the secret key is needed, say.
        return f"The key file is not an age secret key (age-keygen's file) (age: {said})."
    return f"age could not decrypt it: it is damaged, cut short or not a backup (age: {said})."


def _said(stderr: bytes) -> str:
    text = stderr.decode(errors="replace").strip()
    # age adds hints after its error line ("age: report unexpected or unhelpful errors...").
    first = next((line for line in text.splitlines() if line.strip()), text)
    return first.removeprefix("age: error: ").removeprefix("age: ").strip() or "no reason given"
