"""The zero-setup default: SQLite, console e-mail, tasks run eagerly."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-never-use-in-production")
