"""The one settings file: every value comes from the environment, with a safe embedded default.

Without DATABASE_URL the app runs on SQLite in var/; without REDIS_URL Celery uses kombu's
filesystem transport in var/celery/, so `make run` works on a bare machine. Values that would be
unsafe in production (DEBUG, a missing SECRET_KEY) fail loudly instead of defaulting.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# FileAwareEnv: every variable may instead be given as NAME_FILE, the path of a file holding it
# (Docker and Kubernetes secrets).
env = environ.FileAwareEnv()

DEBUG = env.bool("DEBUG", default=False)
# Under pytest the suite supplies its own throwaway key and plain static storage.
TESTING = env.bool("LCSPR_TESTING", default="pytest" in sys.modules)

# Build and schema commands never sign anything, so they run without a key (a Docker build, a
# `makemigrations --check` in a hook); everything that serves or changes data needs one.
KEYLESS_COMMANDS = {"makemigrations", "collectstatic"}
RUNNING_KEYLESS_COMMAND = len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING or RUNNING_KEYLESS_COMMAND):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The partnership whose reviews this installation runs (shown in the header and on documents).
PARTNERSHIP_NAME = env.str(
    "PARTNERSHIP_NAME", default="Northbridge Safeguarding Children Partnership"
)
PARTNERSHIP_SHORT_NAME = env.str("PARTNERSHIP_SHORT_NAME", default="NSCP")
# The address e-mails link to. Unset, it is the local server on PORT (`make run`'s, 8000 unless
# PORT says otherwise).
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "lcspr.accounts.apps.ServiceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # The platform, lowest layer first: each imports only the ones before it.
    "lcspr.core",
    "lcspr.access_log",
    "lcspr.accounts",
    "lcspr.notifications",
    "lcspr.reminders",
    "reviews",
    "panels",
    "chronologies",
    "actions",
    # The reporting API reads the apps above through their own access helpers (ADR 0016).
    "lcspr.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lcspr.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lcspr.core.middleware.PermissionsPolicyMiddleware",
    "lcspr.core.middleware.NoStoreWhenSignedInMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lcspr.access_log.middleware.AccessLogMiddleware",
    # A form sent twice is saved once: its one-time token is claimed just before the view.
    "lcspr.core.middleware.FormTokenMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lcspr.urls"
WSGI_APPLICATION = "lcspr.wsgi.application"

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
                "lcspr.core.context_processors.partnership",
                "lcspr.notifications.context_processors.notifications",
                "lcspr.reminders.context_processors.reminders",
            ],
            # {% form_token %} goes in every POST form, as {% csrf_token %} does.
            "builtins": [
                "lcspr.core.templatetags.form_tokens",
                "lcspr.core.templatetags.wording",
            ],
        },
    },
]
# GOV.UK markup for every form field: templates/forms/ and templates/django/forms/widgets/.
FORM_RENDERER = "lcspr.core.forms.GovukFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# PostgreSQL's JIT compiler is off unless DATABASE_JIT=true: the review pages' one query (every
# section's figures as subqueries, docs/adr/0006) is estimated costly enough over a queue's
# reviews that PostgreSQL spent 3 s compiling it to run it in 11 ms (docs/performance.md).
if "postgresql" in DATABASES["default"]["ENGINE"] and not env.bool("DATABASE_JIT", default=False):
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out sign-in before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian anonymous user: anonymous visitors never hold object permissions here.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Two-factor sign-in (TOTP, django-otp) is required of every user. Only the local demo
# (`make run`) turns it off; `check --deploy` warns when it is off.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not (DEBUG or TESTING))
# The technical administration site (Django admin), behind the service's sign-in and two-factor.
# Set false to stop serving it at all (nothing the partnership does day to day needs it).
DJANGO_ADMIN_ENABLED = env.bool("DJANGO_ADMIN_ENABLED", default=True)
# "Forgot your password": at most this many links to one address, and requests from one client,
# in an hour.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)
# How long an e-mailed link to set up two-factor authentication works (single use).
ACCOUNT_LINK_HOURS = env.int("ACCOUNT_LINK_HOURS", default=72)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default=PARTNERSHIP_SHORT_NAME + " practice reviews")
# Sensitive actions (decisions, approvals, overrides, whole-chronology exports) ask for the
# password (and a code) again when the last sign-in or confirmation is older than this.
REAUTHENTICATE_AFTER_MINUTES = env.int("REAUTHENTICATE_AFTER_MINUTES", default=15)
# The idle-timeout warning appears this many seconds before the session ends.
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=5 * 60)
# A form sent again while its first sending is still being saved waits this long for it.
FORM_TOKEN_WAIT_SECONDS = env.float("FORM_TOKEN_WAIT_SECONDS", default=5)

# django-axes: five failed sign-ins for one account lock it for 15 minutes. Locking by account
# (not by address) keeps one mistyping colleague from locking out a whole office behind one NAT.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# The sign-in form's field (and the key authenticate() passes), not User.USERNAME_FIELD ("email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "lcspr.accounts.lockout.normalised_username"
# axes warns when the address is not a lockout key; here that is deliberate (see above, and
# docs/security.md: address-based rate limits belong to the proxy in front of the service).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Off: a right password must not clear wrong codes still to come. A complete sign-in
# (password, and code when required) clears the count (lcspr/accounts/lockout.py).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# static/app: hand-written files served as they are; static/dist: GOV.UK Frontend compiled with
# the partnership's branding by `npm run build` (not committed); static/src: the Sass sources.
STATICFILES_DIRS = [BASE_DIR / "static" / "app", BASE_DIR / "static" / "dist"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploaded case material lives outside any served path and is only ever returned
        # through permission-checked views.
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Redis, cache and Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_DATA_DIR = env.path("CELERY_DATA_DIR", default=str(VAR_DIR / "celery"))

# A Redis that accepts connections but does not answer must cost a request a second or two,
# not a web worker until gunicorn's timeout: every broker and cache call has short timeouts
# (seconds), and publishing is tried once more at most. Work that could not be queued waits in
# the database (the e-mail outbox, the reminder catch-up) and is queued again by beat.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env.int("CELERY_PUBLISH_MAX_RETRIES", default=1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than any task runs; we never schedule with ETA/countdown (see ADR 0004).
        "visibility_timeout": 60 * 60,
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # kombu's filesystem transport works across processes (web, worker, beat) with no server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(Path(CELERY_DATA_DIR) / "queue"),
        "data_folder_out": str(Path(CELERY_DATA_DIR) / "queue"),
        "processed_folder": str(Path(CELERY_DATA_DIR) / "processed"),
        "control_folder": str(Path(CELERY_DATA_DIR) / "control"),
        "store_processed": False,
    }
    # The folder is the queue: web, worker and beat must find it, so make it exist up front.
    for _folder in ("queue", "processed", "control"):
        (Path(CELERY_DATA_DIR) / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="lcspr")
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(Path(CELERY_DATA_DIR) / "beat-schedule")
# The one beat schedule, in UTC. Daily scans run at 06:00 UTC, well away from 23:00-01:00.
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "lcspr.core.tasks.record_heartbeat",
        "schedule": crontab(minute="*/5"),
        "args": ["beat"],
    },
    "catch-up-password-resets": {
        "task": "lcspr.accounts.tasks.catch_up_password_resets",
        "schedule": crontab(minute="*/10"),
    },
    "requeue-stale-emails": {
        "task": "lcspr.core.tasks.requeue_stale_emails",
        "schedule": crontab(minute="*/10"),
    },
    # Reminders (lcspr/reminders/tasks.py, whose tasks keep their lcspr.core.tasks names). The
    # scan at the partnership's hour (ReminderSettings, 06:00 UTC by default); the catch-up runs
    # a missed day's scan when the broker or beat comes back; the daily digest goes an hour after
    # the default scan.
    "scan-reminders": {
        "task": "lcspr.core.tasks.scan_reminders",
        "schedule": crontab(minute=0, hour=6),
        "kwargs": {"scheduled": True},
    },
    "catch-up-reminder-scan": {
        "task": "lcspr.core.tasks.catch_up_scan",
        # Odd minutes, away from the scan on the hour; cheap (one query) when nothing is due.
        "schedule": crontab(minute="1-59/2"),
    },
    "send-reminder-digests": {
        "task": "lcspr.core.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7),
    },
}

# --- E-mail ------------------------------------------------------------------------------------
# Default: e-mails are written as files to var/sent-mail (nothing leaves the machine).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F821
    EMAIL_FILE_PATH = EMAIL_CONFIG.get("EMAIL_FILE_PATH") or str(VAR_DIR / "sent-mail")
# A stuck mail server must not hold a delivery task (and its outbox row lock) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="lcspr@northbridge-scp.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
# An e-mail still "being sent" this long after its attempt began was interrupted by a crash
# (far longer than a send takes with EMAIL_TIMEOUT); it is sent once more (ADR 0014).
EMAIL_SENDING_STALE_MINUTES = env.int("EMAIL_SENDING_STALE_MINUTES", default=10)

# --- Security ----------------------------------------------------------------------------------
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
# Preload only takes effect once the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HTTPS)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# The access log (lcspr/access_log/middleware.py): every successful GET of a page in these URL
# namespaces is case material and is logged, except the pages listed below, which hold none.
ACCESS_LOG_NAMESPACES = ["reviews", "panels", "chronologies", "actions"]
ACCESS_LOG_EXCLUDED = [
    "reviews:new",
    "reviews:clock_settings",
    "reviews:retention_settings",
    "reviews:retention_removals",
    "reviews:learning_themes",
    "reviews:learning_theme_edit",
    "chronologies:template",
]

# The actions dashboard's content is kept in the cache this long per user, filter and page, under
# a key that changes with the data (actions.selectors.dashboard_fingerprint); 0 turns it off.
# Off in tests, whose rolled-back databases reuse ids, unless a test turns it on.
ACTIONS_DASHBOARD_CACHE_SECONDS = env.int(
    "ACTIONS_DASHBOARD_CACHE_SECONDS", default=0 if TESTING else 600
)

# The review page's task list and the home page's "Waiting for you" are kept in the cache this
# long per person, review and day, and used only while no recorded data has changed since
# (lcspr.core.page_cache); 0 turns it off. Only with Redis, which every worker shares; off in
# tests, as above.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if TESTING or not REDIS_URL else 600)

# The benchmark (bench/run.py, `make bench`): mounts a bare measuring page (bench:bare) and
# counts each request's queries in an X-Query-Count header. Never on in production.
BENCHMARK = env.bool("BENCHMARK", default=False)
if BENCHMARK:
    MIDDLEWARE = ["lcspr.bench.QueryCountMiddleware", *MIDDLEWARE]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # An ordinary 403 or 404 is one line, not a traceback (lcspr.core.logs).
    "filters": {"no_client_error_tracebacks": {"()": "lcspr.core.logs.NoClientErrorTracebacks"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_client_error_tracebacks"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every successful sign-in at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# The read-only reporting API (lcspr/api, ADR 0016): per-person tokens only, paged, rate-limited.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="1000/hour")  # per token
API_UNAUTHENTICATED_RATE_LIMIT = env.str("API_UNAUTHENTICATED_RATE_LIMIT", default="60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["lcspr.api.authentication.BearerToken"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": [
        "lcspr.api.throttling.TokenRateThrottle",
        "lcspr.api.throttling.UnauthenticatedRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PARTNERSHIP_NAME}: reporting API",
    "DESCRIPTION": "Read-only reviews, statutory clocks, decisions, actions and learning themes.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "actions.models.Status",
        "DecisionStatusEnum": "reviews.decision.models.DecisionStatus",
    },
}
