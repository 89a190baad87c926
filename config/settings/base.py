"""Settings shared by every place Tandem runs; local, test and production refine them."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# The checkout's .env (`make` writes the demo's SECRET_KEY there) unless told not to, as the
# tests that start Django with an environment of their own do.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = True
# Every word a person reads is in a catalogue under locale/ (docs/translating.md says how to
# add a language). Each person chooses theirs; until they do, their browser's is used.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date and number formats per language (config/formats/<lang>/formats.py): Spanish
# as written in the United States and Mexico, with a decimal point.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASES
# ------------------------------------------------------------------------------
# SQLite in the project folder lets a fresh clone run with no service installed.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'tandem.sqlite3'}"),
}
# Connections are kept between requests (a new one costs ~4 ms and a cold catalog cache on
# PostgreSQL) and checked before reuse, so a restarted database costs one retry, not a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. Taking the write lock when a transaction begins, and
    # waiting for it rather than failing, turns "database is locked" 500s under parallel
    # requests into a short wait; WAL lets pages read while someone writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 sends parameters apart from the statement, so the server parses and plans a
    # page's queries once per connection and then runs them prepared (psycopg prepares a
    # statement seen `prepare_threshold` times): PostgreSQL's CPU on the coach home fell from
    # 5.7 to 2.2 ms (issue 26). A pooler that hands a connection to another client between
    # transactions cannot keep prepared statements: DATABASE_PREPARED_STATEMENTS=false there.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=2 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None,
    )
# Administrator reports read through their own connection when REPORTS_DATABASE_URL is
# set: on PostgreSQL, the `tandem_reports` role (`manage.py create_reports_role`), which
# can read no text column of a coaching record. Unset (SQLite, the local demo, tests),
# reports read through the default connection.
# It may be a streaming replica of the default database (`make cluster`): the router sends
# the report pages' reads of releases there, and every write to the default connection.
REPORTS_DATABASE_URL = env("REPORTS_DATABASE_URL", default="")
if REPORTS_DATABASE_URL:
    DATABASES["reports"] = env.db_url_config(REPORTS_DATABASE_URL)
    DATABASES["reports"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["reports"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
    DATABASES["reports"].setdefault("OPTIONS", {}).update(DATABASES["default"]["OPTIONS"])
REPORTS_DATABASE = "reports" if REPORTS_DATABASE_URL else "default"
DATABASE_ROUTERS = ["reports.routers.ReportsRouter"]

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Sign-in with the district's accounts: allauth's OpenID Connect client only. Its own
    # account pages (sign-up, e-mail management) are not routed; Tandem's sign-in stays.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]
LOCAL_APPS = [
    # The deployment checks of `manage.py check --deploy` (config/checks.py).
    "config",
    "core",
    "outbox",
    "accounts",
    "coaching",
    "cycles",
    "observations",
    "reports",
    "notifications",
    "video",
    "growth",
    "records",
    "homes",
    "devdata",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out address is refused before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, except that a teacher who has left may still sign in to take their records.
    "accounts.backends.SignInBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "homes:route"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3


# SIGN-IN WITH THE DISTRICT'S ACCOUNTS
# ------------------------------------------------------------------------------
# OpenID Connect through django-allauth, one provider per district account system that is
# configured; README "For the district's IT staff" says how to register Tandem. Google and
# Entra ID are reached through their OpenID discovery documents, as any other provider is,
# so the code the tests drive against a real provider is the code districts run; what
# differs is the rule each one's claims must meet (accounts/sso.py).
def _domains(name: str) -> list[str]:
    # "District.org, @schools.district.org," → ["district.org", "schools.district.org"]
    return [d.strip().lstrip("@").lower() for d in env.list(name, default=[]) if d.strip(" @")]


def _sso_apps() -> list[dict]:
    apps = []
    if env("SSO_GOOGLE_CLIENT_ID", default=""):
        apps.append(
            {
                "provider_id": "google",
                "name": "Google",
                "client_id": env("SSO_GOOGLE_CLIENT_ID"),
                "secret": env("SSO_GOOGLE_CLIENT_SECRET"),
                "settings": {
                    "server_url": env(
                        "SSO_GOOGLE_DISCOVERY_URL", default="https://accounts.google.com"
                    ),
                    "kind": "google",
                    "domains": _domains("SSO_GOOGLE_DOMAINS"),
                    "fetch_userinfo": False,
                    # Google only shows accounts of this domain; the server checks anyway.
                    "auth_params": {"hd": (_domains("SSO_GOOGLE_DOMAINS") or ["*"])[0]},
                },
            }
        )
    if env("SSO_MICROSOFT_CLIENT_ID", default=""):
        tenant = env("SSO_MICROSOFT_TENANT_ID", default="")
        apps.append(
            {
                "provider_id": "microsoft",
                "name": "Microsoft",
                "client_id": env("SSO_MICROSOFT_CLIENT_ID"),
                "secret": env("SSO_MICROSOFT_CLIENT_SECRET"),
                "settings": {
                    "server_url": env(
                        "SSO_MICROSOFT_DISCOVERY_URL",
                        default=f"https://login.microsoftonline.com/{tenant}/v2.0",
                    ),
                    "kind": "microsoft",
                    "tenant": tenant.lower(),
                    "domains": _domains("SSO_MICROSOFT_DOMAINS"),
                    "fetch_userinfo": False,
                },
            }
        )
    if env("SSO_OIDC_CLIENT_ID", default=""):
        apps.append(
            {
                "provider_id": "district",
                "name": env("SSO_OIDC_NAME", default="your district"),
                "client_id": env("SSO_OIDC_CLIENT_ID"),
                "secret": env("SSO_OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": env("SSO_OIDC_DISCOVERY_URL"),
                    "kind": "other",
                    "domains": _domains("SSO_OIDC_DOMAINS"),
                },
            }
        )
    return apps


SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _sso_apps(), "OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_ADAPTER = "accounts.sso.DistrictAccounts"
ACCOUNT_ADAPTER = "accounts.sso.TandemSignIn"
# Never creates a person, never links by an address alone, keeps no provider's tokens.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
# A district that signs everyone in with its accounts may turn e-mail and password off;
# operators keep it, to reach the site when the district's provider is down.
PASSWORD_SIGN_IN = env.bool("PASSWORD_SIGN_IN", default=True)

# Lockout after repeated failed sign-ins, per address and account together, so one
# classroom's shared IP cannot lock every teacher out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The sign-in form posts the e-mail address in Django's "username" field.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.security.sign_in_name"
# Two-step sign-in (TOTP): required of administrators and operators, who can reach the most;
# coaches and teachers may turn it on. The issuer names Tandem in authenticator apps.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Tandem")
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# How many reverse proxies (load balancer, TLS terminator) stand in front of Tandem and
# append to X-Forwarded-For. 0: clients connect directly. Set it to what is true: too high
# lets a client choose its own address; too low makes every client the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long public caching.
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Each person's own language, or their browser's (accounts/language.py).
    "accounts.language.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Django's, but a script's request (fetch, htmx) gets 401 rather than a redirect.
    "core.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ActiveRoleMiddleware",
    # A teacher who has left reaches their records' download, and nothing else.
    "accounts.departed.DepartedTeacherMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# TEMPLATES AND STATIC FILES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Teachers' exports are kept here for a day. The web and the worker must share it (one disk,
# or a network volume) when they run on different machines.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Lesson video: never given a public address; the video pages serve it after asking
    # who may see it (video/serving.py).
    "video": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(Path(MEDIA_ROOT) / "video"), "base_url": None},
    },
}
# Or a private bucket in any S3-compatible store (AWS, MinIO, Ceph, Wasabi...): objects are
# private and each play is a signed link that lasts a few minutes. Credentials come from
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as boto3 reads them.
if env("VIDEO_S3_BUCKET", default=""):
    STORAGES["video"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("VIDEO_S3_BUCKET"),
            "endpoint_url": env("VIDEO_S3_ENDPOINT_URL", default=None),
            "region_name": env("VIDEO_S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("VIDEO_LINK_SECONDS", default=300),
            # Version 4 signatures: what every current store (MinIO, Ceph, AWS) accepts.
            "signature_version": "s3v4",
            "file_overwrite": True,
        },
    }
# How the web server sends a video once Tandem said yes: "django" streams it (with ranges,
# for seeking), "nginx" answers X-Accel-Redirect under VIDEO_ACCEL_PREFIX (an internal
# location aliased to MEDIA_ROOT/video/), "apache" answers X-Sendfile with the file's path.
VIDEO_SERVED_BY = env("VIDEO_SERVED_BY", default="django")
VIDEO_ACCEL_PREFIX = env("VIDEO_ACCEL_PREFIX", default="/protected-video/")

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Signed out after this long without a request: a school day by default, so a laptop left
# open in a staff room does not stay signed in overnight. Activity keeps a session alive.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=9 * 60 * 60)
# The capture page reads the token from the cookie at each send: signing in again in
# another tab changes it, and the token printed in the page is then stale.
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Tandem uses no device feature: a page, or a script injected into one, may not ask.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# No inline script or style anywhere: every page must pass this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Lesson video in a bucket plays from the bucket, through its signed links.
if env("VIDEO_S3_BUCKET", default=""):
    _bucket = env("VIDEO_S3_ENDPOINT_URL", default="") or "https://*.amazonaws.com"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] = ["'self'", _bucket]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_bucket)

# E-MAIL
# ------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Seconds any one exchange with the mail server may take: a hung server fails the attempt
# (it is retried) instead of holding a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Where links in e-mails point: the address people reach Tandem at.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tandem <tandem@localhost>")

# CACHE AND CELERY
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# With Redis, sessions are read from it and written through to the database, so a page
# costs no session query and a flushed cache signs nobody out. Without it each process has
# its own memory cache, which would serve another worker's stale session: database only.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# With no broker (the local default) tasks run in the calling process, at once; the
# in-memory transport only keeps Celery from looking for a broker on localhost.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task not acknowledged within this many seconds is handed to another worker (Redis has
# no other way to tell a dead worker from a slow one). It must outlast the longest task
# (the nightly report refresh) and the longest retry countdown (Celery's 600 s back-off
# cap), or a task still running is started a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_BACKEND = None
CELERY_BEAT_SCHEDULE = {
    # Administrators read releases made every Monday at 4:00 in each district's time
    # (reports/releases.py); checked hourly, so a stopped beat catches up when it starts.
    "release-reports": {
        "task": "reports.tasks.release_due_reports",
        "schedule": crontab(minute=5),
    },
    # Meetings, steps due, quiet cycles, unanswered invitations: each mailed once.
    "send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": timedelta(seconds=env.int("REMINDERS_EVERY_SECONDS", default=15 * 60)),
    },
    # Coaches' Monday digest, at 7:00 in each school's zone: checked every quarter hour.
    "send-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": timedelta(minutes=15),
    },
    # Records past their retention period (RETENTION_DAYS) are deleted every night.
    "nightly-purge": {
        "task": "records.tasks.purge_expired_records",
        "schedule": crontab(hour=3, minute=15),
    },
    # A teacher's export is kept for a day, then deleted.
    "forget-old-exports": {
        "task": "records.tasks.forget_old_exports",
        "schedule": timedelta(hours=1),
    },
    # The district's roster packages dropped in ONEROSTER_DROP_DIR, every night.
    "import-roster-folder": {
        "task": "accounts.tasks.import_roster_folder",
        "schedule": crontab(hour=2, minute=30),
    },
    # Lesson videos whose task was lost are made playable all the same.
    "resume-stalled-videos": {
        "task": "video.tasks.resume_stalled_videos",
        "schedule": timedelta(minutes=15),
    },
    # Mail whose task was lost (a broker restart, say) is still sent.
    "resend-unsent-mail": {
        "task": "outbox.tasks.resend_unsent_mail",
        "schedule": timedelta(minutes=5),
    },
}

# TANDEM
# ------------------------------------------------------------------------------
# Rosters (OneRoster 1.2): a folder per district, named by its sourcedId; empty is none.
ONEROSTER_DROP_DIR = env("ONEROSTER_DROP_DIR", default="")
ONEROSTER_KEEP_DAYS = env.int("ONEROSTER_KEEP_DAYS", default=30)
# Report figures over fewer distinct teachers than this are hidden. Below 3 a figure could
# point at one or two people, so Tandem refuses to start.
REPORT_MIN_GROUP = env.int("REPORT_MIN_GROUP", default=5)
if REPORT_MIN_GROUP < 3:
    raise ImproperlyConfigured(
        f"REPORT_MIN_GROUP is {REPORT_MIN_GROUP}; it may not be below 3, "
        "or small groups of teachers could be identified in reports."
    )

# Lesson video (video/): what one recording may be, and the tools that make it playable.
VIDEO_MAX_BYTES = env.int("VIDEO_MAX_BYTES", default=2 * 1024**3)
VIDEO_MAX_SECONDS = env.int("VIDEO_MAX_SECONDS", default=90 * 60)
# Room for each teacher's videos; the upload page says what is left.
VIDEO_SPACE_PER_TEACHER = env.int("VIDEO_SPACE_PER_TEACHER", default=10 * 1024**3)
# What the recorder sends at a time; each piece is confirmed before the next.
VIDEO_CHUNK_BYTES = env.int("VIDEO_CHUNK_BYTES", default=1024**2)
FFMPEG_BINARY = env("FFMPEG_BINARY", default="ffmpeg")
FFPROBE_BINARY = env("FFPROBE_BINARY", default="ffprobe")

# How many days Tandem keeps each kind of record (records/retention.py); the nightly purge
# deletes what is older, and administrators read these on "Data we keep".
RETENTION_DAYS = {
    "unshared_drafts": env.int("KEEP_UNSHARED_DRAFTS_DAYS", default=90),
    "closed_partnerships": env.int("KEEP_CLOSED_PARTNERSHIPS_DAYS", default=3 * 365),
    "access_log": env.int("KEEP_ACCESS_LOG_DAYS", default=2 * 365),
    "departed_people": env.int("KEEP_DEPARTED_PEOPLE_DAYS", default=365),
    "sent_mail": env.int("KEEP_SENT_MAIL_DAYS", default=90),
    "lesson_video": env.int("KEEP_LESSON_VIDEO_DAYS", default=30),
}

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Axes logs every sign-in at INFO; only failures and lockouts are worth keeping.
    "loggers": {"axes": {"level": "WARNING"}},
}
