"""Settings for pytest: fast hashing, in-memory e-mail, eager tasks."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks inline so their effects can be asserted; the broker is exercised apart.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Sessions expire by the clock the tests freeze and move; Redis expires its keys by the real
# one, so a cached session would outlive its idle limit here (never in production).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
