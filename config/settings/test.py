"""Settings for pytest: fast hashing, in-memory e-mail, eager tasks."""

import os
import tempfile
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, DATABASES, REDIS_URL

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks inline so their effects can be asserted; the broker is exercised apart.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # ffmpeg reads and writes real files. Tests that look at what is left on disk give
    # themselves a folder of their own (the `video_files` fixture).
    "video": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.path.join(tempfile.gettempdir(), f"tandem-test-video-{os.getpid()}"),
            "base_url": None,
        },
    },
}
# Sessions expire by the clock the tests freeze and move; Redis expires its keys by the real
# one, so a cached session would outlive its idle limit here (never in production).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A transactional test empties the database after itself; on PostgreSQL the test backend
# deletes the rows instead of truncating every table, seconds faster (tests/support/postgresql).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "tests.support.postgresql"

# pytest-xdist runs the suite in several processes at once (`make test`); pytest-django gives
# each a test database of its own (test_<name>_gw0, ...). With Redis (.ci/run) each also gets
# a Redis database of its own, 1 for gw0, 2 for gw1 (Redis has 16), for its cache and its
# Celery broker: one process's cache.clear() or queued task never reaches another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and REDIS_URL:
    _SHARED_REDIS_URL = REDIS_URL
    REDIS_URL = urlsplit(REDIS_URL)._replace(path=f"/{1 + int(_WORKER[2:])}").geturl()
    CACHES["default"]["LOCATION"] = REDIS_URL
    if CELERY_BROKER_URL == _SHARED_REDIS_URL:
        CELERY_BROKER_URL = REDIS_URL
