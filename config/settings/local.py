"""The zero-setup default: SQLite, console e-mail, tasks run eagerly."""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import env

# `make` writes a key of this checkout's own into .env (config/make_env.py): a key published
# with the code would let anyone who reaches the demo forge its sessions and unsubscribe
# links. Started without make, the process makes up its own, and they last until it stops.
SECRET_KEY = env("SECRET_KEY", default="") or get_random_secret_key()

# DEBUG stays off, as in base, unless a developer sets DJANGO_DEBUG=true in .env: a demo is
# often opened from other machines, and Django's debug pages show every URL pattern (404)
# and the environment and settings, DATABASE_URL among them (500). With it off, the demo
# answers with Tandem's own 404 and 500 pages.
# Django's runserver serves static files only in debug, so WhiteNoise serves them instead,
# straight from static/ with no collectstatic, and sees each edit at the next request.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
