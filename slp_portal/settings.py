"""Settings for the SLP Portal.

One module for every environment: it runs with no setup on SQLite (`db.sqlite3` at the repo
root), and production differs only by the environment variables listed in `.env.example`.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from slp_portal.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The Django admin as the portal's own site: for the Admin role only (slp_portal.admin_site).
    "slp_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "generations",
    "crime_stats",
    "priorities",
    "actions",
    "partnership",
    "slp_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in the query string answers 400 before anything reads it; a body larger than its
    # URL takes answers 413 unread, and a file sent where none is taken 400.
    "slp_portal.middleware.BadQueryMiddleware",
    "slp_portal.uploads.BoundedBodyMiddleware",
    # Pages go out gzipped (the dashboard's HTML shrinks about eightfold). Django's middleware
    # pads each response against BREACH, and CSRF tokens are masked per request; static files
    # come precompressed from whitenoise above, which answers before this runs.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Answers to a signed-in user are never stored by a browser or proxy cache.
    "slp_portal.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Messages come before the session timeout, which tells the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last, so it sees every failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "slp_portal.urls"
WSGI_APPLICATION = "slp_portal.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytical queries, not for a page's short ones: the
    # dashboard's delivery query crossed jit_above_cost at 2,000 actions and spent 66 ms of its
    # 94 ms compiling (bench/dashboard.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one connection write at a time; the others wait this many seconds (Django's
    # default is 5) before "database is locked". Storing a 100 MB upload takes seconds, and the
    # import worker (django-tasks-db's db_worker) stops for good when its poll times out.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first, so a locked-out sign-in is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# UK conventions: 29 Nov 2026.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # Development serves from the source folders without needing collectstatic first.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# The dashboard's figures and rendered sections (slp_portal/dashboard.py) are cached; their
# keys change with the data, so no worker shows a stale section after a write. With
# SLP_REDIS_URL set, every worker and server shares one cache (Django's Redis backend), so the
# first view after a write is computed once, not once per worker; without it each process
# keeps its own.
REDIS_URL = env_str("SLP_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several portals (or a test run) may share one Redis: keys carry the database name.
            "KEY_PREFIX": env_str("SLP_CACHE_PREFIX", "slp"),
            "TIMEOUT": 600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "slp-portal@localhost")
# Links in reminder emails (send_update_reminders) start with this address.
PORTAL_BASE_URL = env_str("SLP_PORTAL_URL", "http://127.0.0.1:8000")

# Where the accessibility statement tells people to report a problem (blank: no address given).
ACCESSIBILITY_CONTACT_EMAIL = env_str("SLP_ACCESSIBILITY_CONTACT_EMAIL")

# Uploads of crime figures (crime_stats.importers) refuse anything larger than this.
IMPORT_MAX_UPLOAD_BYTES = env_int("SLP_IMPORT_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)
# XLSX and ODS files are zip archives: refuse one that unpacks (declared, then counted as it
# really decompresses) to more than this, whose parts unpack to more than the ratio times their
# packed size, or that holds more parts than this (zip bombs). The Home Office national ODS is
# about 50 MB packed and 1.0-1.4 GB of XML.
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("SLP_IMPORT_MAX_UNCOMPRESSED_BYTES", 2048 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("SLP_IMPORT_MAX_COMPRESSION_RATIO", 200)
IMPORT_MAX_ARCHIVE_MEMBERS = env_int("SLP_IMPORT_MAX_ARCHIVE_MEMBERS", 1000)
# What one file may expand to as it is read (the national file: about 1,000,000 rows x 9 cells).
IMPORT_MAX_ROWS = env_int("SLP_IMPORT_MAX_ROWS", 2_000_000)
IMPORT_MAX_CELLS = env_int("SLP_IMPORT_MAX_CELLS", 25_000_000)
# A request body other than an upload: forms of text, at most 10 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Only these pages take files; their whole body (the file, a population table and the form's
# fields) may be up to two files' worth and 1 MB more. Everywhere else a file is refused and a
# body past DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 unread (slp_portal.uploads).
FILE_UPLOAD_URL_NAMES = ["data_upload", "population_upload", "partnership:duty_occurrence"]
UPLOAD_MAX_BODY_BYTES = 2 * IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "slp_portal.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Checking, confirming and undoing an import run in a worker, not in the web request (a national
# file takes longer than any proxy waits): the Django Tasks API (django-tasks, the backport of
# Django 6.0's django.tasks) with its database backend (django-tasks-db), so the queue is a table
# in the portal's own database and needs no broker. `make run` starts the worker
# (`manage.py db_worker`) beside the server; production runs it as a service of its own (README).
# SLP_TASKS=immediate runs each task inside the request that enqueues it: the test suite does.
TASKS = {
    "default": {
        "BACKEND": {
            "worker": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env_choice("SLP_TASKS", ("worker", "immediate"), "worker")],
        "QUEUES": ["default"],
    }
}
# A running import writes a heartbeat this often; one not heard from for the stale time is taken
# for dead (its worker was killed or the machine restarted) and the batch page offers to run it
# again. SQLite lets no other connection write during the import's one write transaction, so
# there the heartbeat pauses while figures are written: keep the stale time well above that.
IMPORT_JOB_HEARTBEAT_SECONDS = 1
# Figures written per statement (and between cancel checks); 2,000 × 10 values stays under
# SQLite's 32,766 parameters.
IMPORT_WRITE_CHUNK = env_int("SLP_IMPORT_WRITE_CHUNK", 2000)
IMPORT_JOB_STALE_SECONDS = env_int("SLP_IMPORT_JOB_STALE_SECONDS", 120)

# The board pack's PDF is printed by this Chromium (partnership/pdf.py); Debian's by default.
SLP_CHROMIUM = env_str("SLP_CHROMIUM", "/usr/bin/chromium")

# Security: production (DEBUG off) gets secure cookies, HSTS and HTTPS redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends at the latest this long after sign-in, however active (absolute lifetime)...
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
# ...or after this long without a request (idle timeout); accounts.middleware enforces both.
SESSION_IDLE_TIMEOUT = env_int("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
# Partners share computers in offices and community venues: closing the browser signs out.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in throttling (django-axes): five wrong passwords for one username from one address lock
# that pair out for 15 minutes. Locking by the pair, not the username alone, stops anyone from
# locking a colleague out by typing their username wrongly on purpose. Every failure is stored
# (Django admin > Axes) and logged by the `axes` logger.
AXES_FAILURE_LIMIT = env_int("SLP_SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SLP_SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and a username guessed from many addresses is locked from everywhere after this many
# failures within the cool-off (accounts.throttling.PairAndUsernameHandler).
SLP_USERNAME_FAILURE_LIMIT = env_int("SLP_SIGN_IN_USERNAME_FAILURE_LIMIT", 20)
AXES_HANDLER = "accounts.throttling.PairAndUsernameHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Log failures by the lockout's own parameters (username and address), without a banner, and
# show them unmasked: an investigation needs who and where. Passwords are always masked.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Behind N reverse proxies the client's address is the Nth from the right of X-Forwarded-For;
# with 0 (the default) it is the connection's address.
TRUSTED_PROXY_COUNT = env_int("SLP_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip_address"

# Two-factor sign-in (django-otp, TOTP with recovery codes) for Admin and Strategic lead.
OTP_TOTP_ISSUER = "SLP Portal"

# Content Security Policy (django-csp): only this site's own files; no inline script or style
# (the templates have none, and the browser tests fail on any violation). plotly.js styles its
# charts through the CSSOM, which style-src does not govern. Bootstrap draws some icons from
# data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
