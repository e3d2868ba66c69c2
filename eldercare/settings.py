"""Settings read from the environment (see .env.example).

With nothing set the portal runs on the embedded default: a SQLite file, Celery tasks
executed in-process, DEBUG on and a development secret. Production sets DEBUG=false and
must then supply SECRET_KEY and ALLOWED_HOSTS or start-up stops.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnop"
SECRET_KEY = env.str("SECRET_KEY", default="")
if SECRET_KEY and not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters when DEBUG is off (see .env.example)."
    )
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    warnings.warn(
        "SECRET_KEY is not set: using the development secret. Never do this in production.",
        stacklevel=1,
    )
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (see .env.example).")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "eldercare.error_pages.csrf_failure"

INSTALLED_APPS = [
    "core.admin_site.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "import_export",
    "simple_history",
    "axes",
    "django_celery_beat",
    "csp",
    # Project apps, in the layer order of .importlinter (core at the bottom).
    "core",
    "eldercare",
    "regions",
    "audit",
    "policies",
    "jobs",
    "elders",
    "assessments",
    "services",
    "subsidies",
    "facilities",
    "homecare",
    "workforce",
    "reports",
    "plans",
    "supervision",
    "exchanges",
    # The inbox reads every app's waiting work: it sits above them all.
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed (static files already are, by WhiteNoise, so it sits after it).
    # Django's GZipMiddleware pads each response at random against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "eldercare.middleware.IdleSessionMiddleware",
    "eldercare.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eldercare.middleware.NoStoreMiddleware",
    "eldercare.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "eldercare.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After every middleware that checks a request before its view (it may run the view itself).
    "eldercare.db.ReplicaMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eldercare.urls"

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
                "eldercare.context_processors.staff_profile",
                "eldercare.context_processors.offline_copy",
                "eldercare.context_processors.offline_forms",
            ],
        },
    },
]

WSGI_APPLICATION = "eldercare.wsgi.application"
ASGI_APPLICATION = "eldercare.asgi.application"

# SQLite file by default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait instead of failing with "database is locked": WAL lets readers
    # run beside the one writer, the busy timeout makes a second writer wait for the first,
    # and IMMEDIATE transactions take the write lock at BEGIN, since SQLite cannot wait for
    # a lock that a read transaction tries to upgrade later.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=30),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL compiles a query to machine code once its estimated cost passes jit_above_cost;
    # the monthly job's and the reports' grouped queries all do, and each paid about half a
    # second of compiling to save less (docs/operations.md). DATABASE_JIT=on restores it.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A streaming replica for the heavy reads (dashboard, reports, exports, API lists): see
# eldercare/db.py for what goes there and when it falls back to the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    if "options" in DATABASES["default"].get("OPTIONS", {}):
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", DATABASES["default"]["OPTIONS"]["options"])
    # A dead standby must not hold a page for long: fail fast, read from the primary.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "REPLICA_CONNECT_TIMEOUT", default=2
    )
    # Tests create no database on a read-only standby; the replica tests point this alias at the
    # standby's copy of the test database (conftest.py).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["eldercare.db.ReplicaRouter"]
REPLICA_READS = True
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # With Redis away the cache is a miss, never a 500 (see eldercare/cache.py).
    CACHES["default"]["BACKEND"] = "eldercare.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 1, "socket_timeout": 1})
# Each request of a signed-in user saves the session again (the idle timeout below). With Redis as
# the cache, sessions are read from Redis and written through to the database (cached_db): Redis
# here keeps nothing on disk, and a restarted or unreachable Redis must not sign every worker out
# in the middle of a form (the cache then misses and the database answers).
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if "redis" in CACHES["default"]["BACKEND"].lower()
    else "django.contrib.sessions.backends.db",
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with each account's permissions cached until they change (eldercare/auth.py).
    "eldercare.auth.CachedPermissionsBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox:home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions expire: a signed-in account's requests renew the 30-minute window, writing the
# session at most once a minute (eldercare.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock-out after repeated failed logins (per username and IP).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "eldercare.tokens.lockout_response"
AXES_CLIENT_IP_CALLABLE = "eldercare.clients.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed static names are cached for a year by browsers (WhiteNoise marks them immutable);
# unhashed ones (only in development) for a minute.
WHITENOISE_MAX_AGE = env.int("WHITENOISE_MAX_AGE", default=60)

# No inline script anywhere: scripts come from the portal's own static files, their data
# from json_script blocks (which browsers do not run). Inline styles stay allowed: the admin
# and the chart library set them, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Largest supporting document of a subsidy application, in MB (PDF, JPG, JPEG or PNG).
SUBSIDY_DOCUMENT_MAX_MB = env.int("SUBSIDY_DOCUMENT_MAX_MB", default=10)
# Evidence attached to a report on a plan task (督办材料): PDF or image, at most this size.
TASK_EVIDENCE_MAX_MB = env.int("TASK_EVIDENCE_MAX_MB", default=10)
# A TrueType font embedded in the PDFs; empty: the built-in CID font (eldercare/pdf.py).
PDF_FONT_FILE = env.str("PDF_FONT_FILE", default="")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: an unauthenticated call then gets 401 with `WWW-Authenticate: Token`.
        "eldercare.drf.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["eldercare.drf.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["regions.filters.FilterBackend"],  # `?region=` on every list
    "DEFAULT_PAGINATION_CLASS": "eldercare.drf.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "eldercare.drf.JSONParser",
        "eldercare.drf.FormParser",
        "eldercare.drf.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": "rest_framework.metadata.SimpleMetadata",
    # Services raise Django's ValidationError and PermissionDenied; this makes them 400 and 403.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token_client": env.str("TOKEN_RATE_PER_CLIENT", default="20/minute"),
        "token_username": env.str("TOKEN_RATE_PER_USERNAME", default="10/minute"),
    },
}
# API tokens (django-rest-knox): hashed, and valid for a working day unless configured.
KNOX_TOKEN_MODEL = "eldercare.ApiToken"
# Knox's own migrations create its stock token table even when the model is swapped for ours;
# the portal never uses that table, and a test database flush would trip over its foreign key.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=8)),
    "AUTH_HEADER_PREFIX": "Token",
}
# Days the personal-data audit log is kept: GB/T 22239 level 3 asks for at least six months.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=200)
if AUDIT_RETENTION_DAYS < 183:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 183 (six months of audit log).")
# Days a submission's idempotency key is remembered; an offline queue resends within this.
IDEMPOTENCY_KEY_DAYS = env.int("IDEMPOTENCY_KEY_DAYS", default=30)
# Reverse proxies in front of the portal whose X-Forwarded-For is trusted (0: none).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
SPECTACULAR_SETTINGS = {
    "TITLE": "Basic elderly-care service portal API",
    "DESCRIPTION": "Regions, the elder registry (一人一档) and the services built on them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AbilityGradeEnum": "assessments.choices.Grade",
        "DischargeReasonEnum": "facilities.choices.DischargeReason",
        "ProblemEnum": "services.choices.Problem",
        "RegionLevelEnum": "regions.choices.Level",
        "ReviewLevelEnum": "subsidies.choices.Level",
        "TaskStatusEnum": "plans.choices.TaskStatus",
        "InspectionKindEnum": "supervision.choices.InspectionKind",
        "InspectionStatusEnum": "supervision.choices.InspectionStatus",
        "RectificationStatusEnum": "supervision.choices.OrderStatus",
        "ComplaintStatusEnum": "supervision.choices.ComplaintStatus",
        "ComplaintSubjectEnum": "supervision.choices.Subject",
        "ComplaintChannelEnum": "supervision.choices.Channel",
        "SatisfactionEnum": "supervision.choices.Satisfaction",
        "RaterEnum": "supervision.choices.Rater",
        "RatingReasonEnum": "supervision.choices.RatingReason",
        "SupervisionTaskReasonEnum": "supervision.choices.TaskReason",
        "SupervisionTaskStatusEnum": "supervision.choices.TaskStatus",
        "ContractDecisionEnum": "supervision.choices.ContractDecision",
        "RoomStatusEnum": "supervision.choices.RoomStatus",
        "StarApplicationStatusEnum": "supervision.choices.StarStatus",
        "ExchangeKindEnum": "exchanges.choices.Kind",
        "ExchangeDecisionEnum": "exchanges.choices.Decision",
        "RowReviewDecisionEnum": "exchanges.api.ROW_DECISIONS",
        "ReviewDecisionEnum": "subsidies.choices.Decision",
        "OrderStatusEnum": "homecare.choices.OrderStatus",
        "StatementStatusEnum": "homecare.choices.StatementStatus",
        "StatementLineStatusEnum": "homecare.choices.LineStatus",
        "EmergencyCallStatusEnum": "homecare.choices.CallStatus",
    },
}

# Celery: with no broker the tasks run in-process (eager), so the demo needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent, so a task is acknowledged only when it finished: one whose worker died
# (killed, machine lost) goes back to the queue and runs again from the start.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
}
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat schedule is written once here; django-celery-beat stores it so operators can
# see and pause entries in the admin. Apps add their entries as they gain periodic work.
CELERY_BEAT_SCHEDULE: dict = {
    "compute-monthly-stats": {
        "task": "reports.compute_monthly_stats",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    "run-disbursement": {
        "task": "subsidies.run_disbursement",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    "enrol-and-stop-entitlements": {
        "task": "subsidies.enrol_and_stop",
        "schedule": crontab(hour=0, minute=45),
    },
    "close-subsidy-notices": {
        "task": "subsidies.close_notices",
        "schedule": crontab(hour=0, minute=30),
    },
    "queue-due-reassessments": {
        "task": "assessments.queue_due_reassessments",
        "schedule": crontab(hour=1, minute=30),
    },
    "purge-expired-audit-log": {
        "task": "audit.purge_expired",
        "schedule": crontab(hour=3, minute=20),
    },
    "purge-old-jobs": {
        "task": "jobs.purge_old_jobs",
        "schedule": crontab(hour=3, minute=30),
    },
    "purge-idempotency-keys": {
        "task": "eldercare.purge_idempotency_keys",
        "schedule": crontab(hour=3, minute=10),
    },
    # Partitions of visits, payments and monthly figures for the months ahead (eldercare/partitions.py).
    "make-partitions": {
        "task": "eldercare.make_partitions",
        "schedule": crontab(day_of_month=20, hour=3, minute=0),
    },
    # The pinyin initials of files loaded in bulk since (the list's search by initials).
    "fill-name-initials": {
        "task": "elders.fill_name_initials",
        "schedule": crontab(hour=0, minute=10),
    },
    # The due list's stored target group and last visits (ages and assessment validity move daily).
    "refresh-visit-status": {
        "task": "services.refresh_visit_status",
        "schedule": crontab(hour=0, minute=5),
    },
    # Each month's home-service statements, after the month has closed (homecare/settlement.py).
    "settle-home-services": {
        "task": "homecare.settle_month",
        "schedule": crontab(day_of_month=2, hour=1, minute=30),
    },
    # Emergency calls not answered by their deadline go up to the street (homecare/tasks.py).
    "escalate-emergency-calls": {
        "task": "homecare.escalate_calls",
        "schedule": crontab(minute="*/5"),
    },
    # Lists other systems place in the exchanges' drop folder (exchanges/dropfolder.py).
    "scan-exchange-drop-folder": {
        "task": "exchanges.scan_drop_folder",
        "schedule": crontab(minute="*/5"),
    },
    # Before the subsidy jobs, so deaths and moves leave the wait-lists the same night.
    "update-waitlists": {
        "task": "facilities.update_waitlists",
        "schedule": crontab(hour=0, minute=15),
    },
    # The morning's reminders (due visits, re-assessments, returned applications), after the
    # night's jobs have refreshed the due lists and queued the re-assessments (notifications/).
    "send-reminders": {
        "task": "notifications.send_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Rectification orders past their deadline: flagged, with a credit warning on the operator.
    "flag-overdue-rectifications": {
        "task": "supervision.flag_overdue",
        "schedule": crontab(hour=0, minute=40),
    },
}

# The exchanges' drop folder (empty: none) and the account its lists are received as; the
# account's region is the region the lists cover.
EXCHANGE_DROP_DIR = env.str("EXCHANGE_DROP_DIR", default="")
EXCHANGE_DROP_ACCOUNT = env.str("EXCHANGE_DROP_ACCOUNT", default="exchange-drop")
EXCHANGE_DROP_SETTLE_SECONDS = env.int("EXCHANGE_DROP_SETTLE_SECONDS", default=60)

# Reminders go out through one SMS gateway interface (notifications/backends.py): the default
# records them in the database only (the inbox shows them); HttpSmsBackend posts to a gateway.
NOTIFY_SMS_BACKEND = env.str("NOTIFY_SMS_BACKEND", default="notifications.backends.DatabaseBackend")
NOTIFY_SMS_URL = env.str("NOTIFY_SMS_URL", default="")
NOTIFY_SMS_KEY = env.str("NOTIFY_SMS_KEY", default="")
NOTIFY_SMS_SIGN = env.str("NOTIFY_SMS_SIGN", default="")
NOTIFY_SMS_TIMEOUT = env.int("NOTIFY_SMS_TIMEOUT", default=10)
if NOTIFY_SMS_BACKEND.endswith("HttpSmsBackend") and not NOTIFY_SMS_URL:
    raise ImproperlyConfigured("NOTIFY_SMS_BACKEND is the HTTP gateway: set NOTIFY_SMS_URL (see .env.example).")
# Seconds the navigation badge's count is kept per account.
INBOX_BADGE_SECONDS = env.int("INBOX_BADGE_SECONDS", default=60)

# Lists in the admin never count a whole large table; past this they show "N+".
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=10_000)
# An export of more rows than this runs as a background job (jobs/): a progress bar, then the
# download; smaller ones download at once.
EXPORT_JOB_ROWS = env.int("EXPORT_JOB_ROWS", default=5_000)
# A registry workbook of more rows than this sent to the admin's import is checked and written
# by a background job (the import page always uses one).
IMPORT_JOB_ROWS = env.int("IMPORT_JOB_ROWS", default=1_000)
# A background job's uploaded file and workbook (personal data) are deleted after this many days.
JOB_KEEP_DAYS = env.int("JOB_KEEP_DAYS", default=7)

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SIMPLE_HISTORY_REVERT_DISABLED = True  # state changes go through services, never a history form
SIMPLE_HISTORY_EDIT = False
