"""SXSH Portal settings: one module, configured only through environment variables.

Every variable is documented in `.env.example`. Defaults run locally with zero configuration
(SQLite and a serverless filesystem Celery broker under `var/`).
"""

import os
import re
from datetime import date
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / os.environ.get("PORTAL_VAR_DIR", "var")  # relative to the checkout

INSECURE_KEY_PREFIX = "django-insecure-"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set it to a long random value (or DEBUG=1 for development)."
        )
    SECRET_KEY = INSECURE_KEY_PREFIX + "dev-only-key-never-use-in-production"
elif not DEBUG and (SECRET_KEY.startswith(INSECURE_KEY_PREFIX) or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is too weak for DEBUG=0: use 50+ random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "facilities",
    "assessments",
    "reports",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store on signed-in pages and downloads; after WhiteNoise, which answers
    # static files first (they stay cacheable).
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Vietnamese whatever the browser asks; English when the user picked it (after the user is
    # known, for the choice saved on the account).
    "accounts.language.VietnameseFirstLocaleMiddleware",
    # The current request for the audit log's model signals (core/audit.py).
    "core.middleware.RequestContextMiddleware",
    "accounts.sessions.IdleSessionMiddleware",
    # request.user.is_verified() (django-otp), then the redirect of unverified sessions to the
    # second step of the login (accounts/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sxsh_portal.urls"
WSGI_APPLICATION = "sxsh_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
                "sxsh_portal.navigation.main_menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sxsh.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Solid-state storage: without this the planner prefers a sequential scan to the trigram
    # index of the facility search (measured in bench/facility_list.py).
    # JIT compilation costs a second on the indicator queries and saves nothing on a web app's
    # short queries (measured in bench/indicators.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c random_page_cost=1.1 -c jit=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The zero-configuration default lives under var/; a fresh checkout has no such folder yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat share one SQLite file in the demo: wait for locks instead of failing.
    # A transaction takes the write lock when it begins (IMMEDIATE): one that read first and
    # then wrote while the worker was writing would otherwise fail at once ("database is
    # locked"), whatever the timeout. WAL lets pages read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed indicator counts and parts of the facility list are cached (core/data_version.py).
# Each process keeps its own copy by default; with CACHE_URL=redis://... all processes share one.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        # Room for every variant of the filter lists (one per selected option) and the counts.
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}
DATA_CACHE_SECONDS = env_int("DATA_CACHE_SECONDS", 6 * 3600)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend must be first so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# ASVS 5.0 V6: at least 8 characters, not a common password, not like the user's own details, and
# no composition rules (so no NumericPasswordValidator: a long all-digit passphrase is fine).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (accounts/lockout.py): failures are counted per (username, client address);
# after AXES_FAILURE_LIMIT of them the pair is locked for base x 2^(failures - limit), capped
# (1 min, 2, 4 ... <= 60 min by default). Attempts during a lock are refused WITHOUT being
# recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False): otherwise every try of an
# attacker would restart the wall and keep the real user out for as long as the attack lasts.
# The count is forgotten AXES_FAILURE_WINDOW_HOURS after the last failure or at a successful
# login. Attempts are stored in the database so every web process sees them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_BASE_SECONDS = env_int("AXES_LOCKOUT_BASE_SECONDS", 60)
AXES_LOCKOUT_MAX_MINUTES = env_int("AXES_LOCKOUT_MAX_MINUTES", 60)
AXES_FAILURE_WINDOW_HOURS = env_int("AXES_FAILURE_WINDOW_HOURS", 24)
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"  # the lock length of the request's pair
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.normalised_username"  # logins are case-insensitive
AXES_HANDLER = "accounts.lockout.ExponentialLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A failed attempt's form data is kept (AccessAttempt.post_data, read in the admin) with these
# fields masked besides "password": the password change's old and new passwords (its old one is
# checked as a login) and the two-factor code.
AXES_SENSITIVE_PARAMETERS = ["old_password", "new_password1", "new_password2", "code", "otp_token"]
# The client address (django-ipware), used by the lockout and the audit log. AXES_PROXY_COUNT is
# the number of reverse proxies in front of gunicorn (1 = the documented nginx, which must send
# `X-Forwarded-For $proxy_add_x_forwarded_for`). With 0, X-Forwarded-For is ignored and the
# socket address (REMOTE_ADDR) is used, so a client cannot pick its address with that header.
# With N, the address is the one the outermost trusted proxy appended to X-Forwarded-For: the
# N-th entry from the right (the last proxy itself is REMOTE_ADDR, so ipware's count is N - 1);
# anything the client put to the left of it is ignored. Non-strict: a client-sent header just
# makes the chain longer, it does not make the proxy's entry untrusted.
_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if _PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_IPWARE_PROXY_COUNT = max(_PROXY_COUNT - 1, 0)
AXES_IPWARE_PROXY_ORDER = "left-most"
IPWARE_STRICT = False

# Password-reset mails (accounts/password_reset.py): at most this many per hour per e-mail
# address asked for and per client address (fixed one-hour window in the cache); beyond that the
# page still says "sent" but nothing is sent.
PASSWORD_RESET_MAX_PER_EMAIL = env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3)
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 10)

# Two-factor authentication (django-otp: an authenticator app's TOTP codes + 10 one-time backup
# codes; accounts/two_factor.py). The roles in OTP_REQUIRED_ROLES must use it (superusers count as
# staff); any other user who enrolled a device is asked for a code too. TWO_FACTOR_REQUIRED
# defaults to on when DEBUG is off.
OTP_REQUIRED_ROLES = (
    ("staff", "official", "ministry") if env_bool("TWO_FACTOR_REQUIRED", not DEBUG) else ()
)
OTP_TOTP_ISSUER = "SXSH Portal"
# Wrong codes: after n successive failures a device refuses every code for factor * 2^(n-1) s.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATICFILES_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without a manifest (tests, DEBUG) WhiteNoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = not env_bool("STATICFILES_MANIFEST", not DEBUG)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Backups (manage.py backup/restore, ops/backup_dump.py and ops/backup_restore.py). The manifest is
# signed with HMAC-SHA256 under BACKUP_HMAC_KEY (required with DEBUG off; with DEBUG on a key
# derived from SECRET_KEY).
# With BACKUP_AGE_RECIPIENT (age public keys "age1…", comma-separated) the dump and the media
# archive are encrypted; restore decrypts them with the identity file BACKUP_AGE_IDENTITY_FILE.
BACKUP_HMAC_KEY = os.environ.get("BACKUP_HMAC_KEY", "")
BACKUP_AGE_RECIPIENTS = env_list("BACKUP_AGE_RECIPIENT")
BACKUP_AGE_IDENTITY_FILE = os.environ.get("BACKUP_AGE_IDENTITY_FILE", "")

# JSON API under /api/v1/ (reports/api/): token (header `Authorization: Token …`) or session.
# Token first, so an anonymous request gets 401 with a WWW-Authenticate header. Tokens are our own
# (accounts/tokens.py: stored hashed, expire after API_TOKEN_DAYS days, revocable).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be 1 or more.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "accounts.tokens.ReadOnlySessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.ContentNegotiation",
    # One error shape for the whole API: problem details (RFC 9457, core/problems.py).
    "EXCEPTION_HANDLER": "core.problems.exception_handler_problem",
    # Each token (or session user) gets API_THROTTLE_RATE requests; then 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.CredentialRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_THROTTLE_RATE", "600/minute")},
}
API_RATE = REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]
if not re.fullmatch(r"\d+/(second|minute|hour|day)", API_RATE):
    raise ImproperlyConfigured("API_THROTTLE_RATE: N/second, N/minute, N/hour or N/day.")
SPECTACULAR_SETTINGS = {
    "TITLE": "SXSH Portal API",
    # Lazy, as every text of the schema: written in the request's language (accounts/language.py).
    "DESCRIPTION": _("Chỉ tiêu Kế hoạch SXSH và sổ đăng ký cơ sở SXCN (chỉ dữ liệu đã duyệt)."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


# E-mail (Django 6.1 MAILERS): EMAIL_URL (smtp://user:pass@host:port, smtp+tls://…, smtps://…,
# consolemail://) or the usual EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER / EMAIL_HOST_PASSWORD /
# EMAIL_USE_TLS variables. Without either: the console (core.mail, the text readable) in DEBUG,
# SMTP on localhost otherwise.
def _mailer_from_env() -> dict:
    from urllib.parse import unquote, urlsplit

    smtp = "django.core.mail.backends.smtp.EmailBackend"
    url = os.environ.get("EMAIL_URL", "").strip()
    if url.startswith("consolemail:") or (not url and DEBUG and not os.environ.get("EMAIL_HOST")):
        return {"BACKEND": "core.mail.ReadableConsoleBackend"}
    if url:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtp+tls", "submission", "smtps"}:
            raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported")
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme in {"smtp+tls", "submission"},
            "use_ssl": parts.scheme == "smtps",
        }
    else:
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
    return {"BACKEND": smtp, "OPTIONS": {**options, "timeout": 20}}


MAILERS = {"default": _mailer_from_env()}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SXSH Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Portal: the province served (DESIGN §3), as a 2025 GSO province code (24 = Bắc Ninh, which
# since 1 July 2025 holds old Bắc Ninh 27 and old Bắc Giang 24). The older PORTAL_PROVINCE_CODE, a
# pre-2025 code, still works and means its 2025 successor (30, old Hải Dương, means 31, Hải
# Phòng); PORTAL_PROVINCE wins when both are set. Resolved by facilities.territory.
PORTAL_PROVINCE = env_int("PORTAL_PROVINCE", 0) or None
PORTAL_PROVINCE_CODE = env_int("PORTAL_PROVINCE_CODE", 0) or None
# "province" (default): one department's installation, its staff and officials see all of it.
# "national": one installation for every province (DESIGN §2): staff and officials see only the
# province of their account (User.province), the Ministry's accounts read everything.
PORTAL_SCOPE = os.environ.get("PORTAL_SCOPE", "province").strip().lower() or "province"
if PORTAL_SCOPE not in ("province", "national"):
    raise ImproperlyConfigured("PORTAL_SCOPE must be 'province' or 'national'.")
# Annual reports: facilities without a report are reminded this many days before the deadline.
REPORT_REMINDER_DAYS = env_int("REPORT_REMINDER_DAYS", 14)
if REPORT_REMINDER_DAYS < 0:
    raise ImproperlyConfigured("REPORT_REMINDER_DAYS must be 0 or more days.")

# Celery. With CELERY_BROKER_URL unset the broker is kombu's filesystem transport under var/:
# it needs no server, yet a real worker process consumes it.
# (With a host named: kombu warns "No hostname was supplied" on every connection otherwise.)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or "filesystem://localhost/"
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
else:
    # Redis re-delivers an unacknowledged message after the visibility timeout: keep it well
    # above the hard time limit so a long task is never run twice while still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What a task prints (the console mail of the demo) is logged as INFO, not as a WARNING.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Queues by kind (README "Scaling out"), decided here only: a rush of reports cannot delay an
# import, a mail or the heartbeat, and each kind gets as many workers as it needs. Exact names win
# over the patterns. A task routed nowhere goes to CELERY_TASK_DEFAULT_QUEUE.
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Seconds a rebuild of the stored facts (reports.fact_table) may take: about a minute per
# million facility-years on one core.
FACTS_REBUILD_SECONDS = env_int("FACTS_REBUILD_SECONDS", 3600)
CELERY_TASK_ROUTES = {
    # maintenance: liveness, clean-ups and the sweeper (it must run while reports are busy)
    "ops.tasks.*": {"queue": "maintenance"},
    "accounts.tasks.clear_expired_sessions": {"queue": "maintenance"},
    "reports.tasks.sweep_reports_task": {"queue": "maintenance"},
    "reports.tasks.purge_report_files_task": {"queue": "maintenance"},
    "reports.tasks.rebuild_facts_task": {"queue": "maintenance"},
    "facilities.tasks.sweep_import_jobs_task": {"queue": "maintenance"},
    # reports: generated files and the scheduled runs that queue them
    "reports.tasks.*": {"queue": "reports"},
    # imports: big facility files and the data-quality run over every report
    "facilities.tasks.*": {"queue": "imports"},
    "assessments.tasks.run_quality_checks_task": {"queue": "imports"},
    # mail: notifications, reminders and password-reset mails
    "assessments.tasks.notify_*": {"queue": "mail"},
    "assessments.tasks.send_report_reminders": {"queue": "mail"},
    "accounts.tasks.send_password_reset_mail": {"queue": "mail"},
}
CELERY_QUEUE_NAMES = (CELERY_TASK_DEFAULT_QUEUE, "reports", "imports", "mail", "maintenance")
# The queues a worker started on this machine consumes (comma list; unset or empty: all): used
# by `celery -A sxsh_portal worker` without -Q (through CELERY_TASK_QUEUES) and by run_portal.
CELERY_WORKER_QUEUES = env_list("CELERY_WORKER_QUEUES") or list(CELERY_QUEUE_NAMES)
if not set(CELERY_WORKER_QUEUES) <= set(CELERY_QUEUE_NAMES):
    raise ImproperlyConfigured(f"CELERY_WORKER_QUEUES takes some of {CELERY_QUEUE_NAMES}.")
CELERY_TASK_QUEUES = {
    name: {"exchange": name, "routing_key": name} for name in CELERY_WORKER_QUEUES
}
# /healthz shows its details to a direct local caller or to one sending this token in the
# X-Monitoring-Token header (empty: no token accepted).
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")
CELERY_BEAT_SCHEDULE = {
    # Liveness of worker and beat, shown on /healthz.
    "heartbeat": {"task": "ops.tasks.heartbeat", "schedule": 60.0},
    # Annual-report deadline reminders (REPORT_REMINDER_DAYS before the deadline), 07:00 daily.
    "report-reminders": {
        "task": "assessments.tasks.send_report_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Delete expired sessions from the session store (accounts/tasks.py), 03:30 daily.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Big facility imports (facilities/import_jobs.py). A task running one renews its lease with every
# progress write (at least every quarter lease); an import whose lease expired lost its whole
# worker and ends `failed` instead of being re-planned and applied by a late redelivery.
IMPORT_LEASE_SECONDS = env_int("IMPORT_LEASE_SECONDS", 120)
if IMPORT_LEASE_SECONDS < 30:
    raise ImproperlyConfigured("IMPORT_LEASE_SECONDS must be 30 seconds or more.")

# Generated reports (reports/generation.py). A running job renews its lease with every progress
# step; the sweeper re-queues a job whose lease expired (its worker died). A failed attempt is
# retried after REPORT_RETRY_DELAY seconds, at most 3 attempts in all.
REPORT_LEASE_SECONDS = env_int("REPORT_LEASE_SECONDS", 120)
REPORT_RETRY_DELAY = env_int("REPORT_RETRY_DELAY", 30)
# A job no worker has taken REPORT_QUEUE_TIMEOUT seconds after it was requested fails with a
# message (reports/job_queue.py), freeing the requester's place among REPORT_MAX_ACTIVE_JOBS.
REPORT_QUEUE_TIMEOUT = env_int("REPORT_QUEUE_TIMEOUT", 4 * 60 * 60)
if REPORT_QUEUE_TIMEOUT < 60:
    raise ImproperlyConfigured("REPORT_QUEUE_TIMEOUT must be 60 seconds or more.")
# Last year's report is generated as a DRAFT once the facilities' self-report deadline
# (ReportingDeadline, 15 January by default) plus REPORT_REVIEW_DAYS has passed (beat checks
# daily at 06:00); staff get an e-mail to review and issue it, officials hear of it once issued.
# PORTAL_URL is the address the e-mailed links start with.
REPORT_REVIEW_DAYS = env_int("REPORT_REVIEW_DAYS", 30)
REPORT_AUTO_FORMATS = env_list("REPORT_AUTO_FORMATS", "pdf,xlsx,docx")
if REPORT_REVIEW_DAYS < 0:
    raise ImproperlyConfigured("REPORT_REVIEW_DAYS must be 0 or more days.")
if not set(REPORT_AUTO_FORMATS) <= {"pdf", "xlsx", "docx"}:
    raise ImproperlyConfigured("REPORT_AUTO_FORMATS takes pdf, xlsx and/or docx.")
# The half-year report likewise: the first half's data are due on REPORT_HALF_YEAR_DAY ("MM-DD",
# 15 July by default) of the same year; its draft is built REPORT_REVIEW_DAYS later.
REPORT_HALF_YEAR_DAY = os.environ.get("REPORT_HALF_YEAR_DAY", "07-15").strip() or "07-15"
try:
    REPORT_HALF_YEAR_MONTH_DAY = tuple(int(part) for part in REPORT_HALF_YEAR_DAY.split("-"))
    date(2001, *REPORT_HALF_YEAR_MONTH_DAY)  # a day of every year (not 29 February)
except (TypeError, ValueError) as exc:
    raise ImproperlyConfigured("REPORT_HALF_YEAR_DAY must be a day as MM-DD, e.g. 07-15.") from exc
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# One user may have at most REPORT_MAX_ACTIVE_JOBS reports queued or running; a request identical
# to a queued or running job (any requester) returns that job. Generated files are deleted
# REPORT_RETENTION_DAYS after they were built (beat, daily at 02:30; the row stays).
REPORT_MAX_ACTIVE_JOBS = env_int("REPORT_MAX_ACTIVE_JOBS", 3)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 90)
# The signature block of the PDF and DOCX reports (Nghị định 30/2020): the signer's title
# ("GIÁM ĐỐC") and name; with REPORT_SIGNER_ON_BEHALF the deputy signs "KT. GIÁM ĐỐC" over
# "PHÓ GIÁM ĐỐC". An empty name leaves the line blank for the clerk.
REPORT_SIGNER_NAME = os.environ.get("REPORT_SIGNER_NAME", "").strip()
REPORT_SIGNER_TITLE = os.environ.get("REPORT_SIGNER_TITLE", "GIÁM ĐỐC").strip() or "GIÁM ĐỐC"
REPORT_SIGNER_ON_BEHALF = env_bool("REPORT_SIGNER_ON_BEHALF", False)
if REPORT_MAX_ACTIVE_JOBS < 1 or REPORT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("REPORT_MAX_ACTIVE_JOBS and REPORT_RETENTION_DAYS must be 1+.")
CELERY_BEAT_SCHEDULE |= {
    # Delete generated report files older than REPORT_RETENTION_DAYS.
    "generated-reports-purge": {
        "task": "reports.tasks.purge_report_files_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Re-queue generated-report jobs whose worker died (expired lease).
    "generated-reports-sweep": {"task": "reports.tasks.sweep_reports_task", "schedule": 60.0},
    # Fail big facility imports whose worker died (expired lease, IMPORT_LEASE_SECONDS).
    "import-jobs-sweep": {"task": "facilities.tasks.sweep_import_jobs_task", "schedule": 60.0},
    # Last year's progress report as a draft for staff, once deadline + REPORT_REVIEW_DAYS
    # passed (the task decides; it does nothing on other days or once the drafts exist).
    "generated-reports-annual": {
        "task": "reports.tasks.annual_reports_task",
        "schedule": crontab(minute=0, hour=6),
    },
    # This year's half-year progress report as a draft for staff, once REPORT_HALF_YEAR_DAY +
    # REPORT_REVIEW_DAYS passed (likewise idempotent).
    "generated-reports-half-year": {
        "task": "reports.tasks.half_year_reports_task",
        "schedule": crontab(minute=5, hour=6),
    },
}

# Sessions end after SESSION_IDLE_MINUTES without a request (accounts/sessions.py renews the
# expiry at most once a minute), SESSION_MAX_HOURS after login whatever the activity, at logout,
# when the password changes (the other sessions: Django's session auth hash) and when the account
# is deactivated (accounts/sessions.py).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
if SESSION_IDLE_MINUTES < 2:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be at least 2.")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_MAX_HOURS must be at least 1.")
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token, fetch() only GETs.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django.middleware.csp): scripts and styles only from our own static
# files, or inline with the per-response nonce ({{ csp_nonce }}; the admin's one <style> uses it).
# No 'unsafe-inline' anywhere: style="" attributes are blocked too, so templates set widths through
# data attributes that static/js/portal.js applies (CSSOM is not subject to CSP).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own console handler (DEBUG) would print every django.* message a second time
    # beside the root's: its messages go to the root's handler only.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
