"""Give this checkout a secret key of its own, in .env, before anything runs.

`make migrate`, `make serve` and `make demo` run this first, with nothing but the standard
library (it runs before Django is set up). A key published with the code would let anyone
who reaches a demo forge its sessions and its unsubscribe links; this one never leaves the
machine. Run any number of times: a key already in .env, and every other line, are kept.
"""

import os
import re
import secrets
import sys
from pathlib import Path

# `SECRET_KEY=...` or `export SECRET_KEY=...`; a commented line is not a key.
KEY_LINE = re.compile(r"^\s*(?:export\s+)?SECRET_KEY\s*=\s*(?P<value>.*?)\s*$")


def ensure_secret_key(path: Path) -> bool:
    """Add a new random SECRET_KEY to the .env file at `path` unless it names one already.
    Returns whether it wrote one."""
    lines = path.read_text().splitlines() if path.exists() else []
    keys = [match["value"] for line in lines if (match := KEY_LINE.match(line))]
    if any(value.strip("'\"") for value in keys):
        return False
    # URL-safe letters only: django-environ would read `$` as a reference to another
    # variable and `#` as the start of a comment, both of which Django's own keys contain.
    kept = [line for line in lines if not KEY_LINE.match(line)]  # an empty SECRET_KEY=
    text = "".join(f"{line}\n" for line in [*kept, f"SECRET_KEY={secrets.token_urlsafe(50)}"])
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only, as a new file: it holds the key that signs sessions.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w") as env_file:
        env_file.write(text)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / ".env"
    if ensure_secret_key(target):
        print(f"Wrote a new SECRET_KEY to {target}")
