"""Django settings for Selfdirect: one module, configured from the environment.

``SELFDIRECT_ENV=production`` demands real secrets and secure cookies; any other
value (the default, ``development``) is for the demo council and the tests.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets typed generics such as forms.ModelForm[Person] run (mypy --strict asks for them).
django_stubs_ext.monkeypatch()

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SELFDIRECT_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("SELFDIRECT_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
# Demo mode: the demo sign-ins (password ``selfdirect-demo``) are listed on the sign-in page.
DEMO_MODE = not PRODUCTION and os.environ.get("SELFDIRECT_DEMO", "1") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
if PRODUCTION and DEBUG:
    # Debug pages show settings, queries and people's data to anyone who causes an error.
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment in production.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    *[a for a in os.environ.get("SELFDIRECT_TASKS_APPS", "").split(",") if a],
    "selfdirect.access",
    "selfdirect.audit",
    "selfdirect.people",
    "selfdirect.notify",
    "selfdirect.providers",
    "selfdirect.assessment",
    "selfdirect.allocation",
    "selfdirect.planning",
    "selfdirect.budgets",
    "selfdirect.charging",
    "selfdirect.casework",
    "selfdirect.directory",
    "selfdirect.surveys",
    "selfdirect.ledger",
    "selfdirect.recovery",
    "selfdirect.changes",
    "selfdirect.evaluation",
    "selfdirect.market",
    "selfdirect.returns",
    "selfdirect.peers",
    "selfdirect.monitoring",
    "selfdirect.invoices",
    "selfdirect.payments",
    "selfdirect.employers",
    "selfdirect.portal",
    "selfdirect.demo",
    "selfdirect.api",
    "selfdirect.operations",
]

MIDDLEWARE = [
    "selfdirect.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "selfdirect.access.middleware.AccessContextMiddleware",
    "selfdirect.access.middleware.NoStoreMiddleware",
    "selfdirect.access.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "selfdirect.urls"
WSGI_APPLICATION = "selfdirect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "selfdirect.access.context_processors.service",
                "selfdirect.notify.context_processors.messages",
                "selfdirect.people.context_processors.who_to_contact",
                "selfdirect.letter_formats.letter_formats",
            ],
            "builtins": ["selfdirect.templatetags_builtins"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'selfdirect.sqlite3'}"),
        conn_max_age=0 if DEBUG else 60,
    )
}
_PREPARE_THRESHOLD = os.environ.get("SELFDIRECT_PG_PREPARE_THRESHOLD", "5").strip().lower()
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and _PREPARE_THRESHOLD != "off"
):
    # Server-side binding lets psycopg prepare a query the fifth time a connection runs it,
    # so PostgreSQL plans each page's queries once per connection instead of on every
    # request: planning was most of a holder's home page's database time (decision 0059).
    # "off" keeps Django's default (values written into the SQL on the client): for
    # PgBouncer in transaction mode, which cannot keep prepared statements.
    from selfdirect.pg_cursor import ServerBindingCursor

    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "cursor_factory": ServerBindingCursor,
            "prepare_threshold": int(_PREPARE_THRESHOLD),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo serve pages while a long job writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "selfdirect.access.backends.ProfileModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/home/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Login throttling: five failures for a username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Staff two-factor sign-in (an authenticator app, with recovery codes): required for every
# staff role when on; on by default in production, off otherwise (the demo). Anyone may
# still turn it on for themselves.
SELFDIRECT_REQUIRE_TWO_FACTOR = (
    os.environ.get("SELFDIRECT_REQUIRE_TWO_FACTOR", "1" if PRODUCTION else "0") == "1"
)
OTP_TOTP_ISSUER = "Selfdirect"

# How many reverse proxies of the council's own stand in front of the service: 0 (the default)
# takes the client's address from the connection and ignores X-Forwarded-For; N takes the N-th
# address from the right of X-Forwarded-For. Throttling and the audit log both use it.
SELFDIRECT_TRUSTED_PROXY_COUNT = int(os.environ.get("SELFDIRECT_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "selfdirect.access.client_ip.client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
# Production serves what `collectstatic` gathered in var/static (scripts/serve.sh runs it),
# compressed and with far-future cache headers; elsewhere static files come from the finders.
STATIC_ROOT = VAR_DIR / "static" if PRODUCTION else None
STATICFILES_DIRS = [SRC_DIR / "static", BASE_DIR / "build" / "static"]
if PRODUCTION:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
# GOV.UK Frontend's stylesheet refers to /assets/fonts and /assets/images: served from here.
WHITENOISE_ROOT = BASE_DIR / "build" / "public"
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production is served over HTTPS (TLS ends at the council's proxy). SELFDIRECT_HTTPS=0 is
# only for `make serve` over plain http on 127.0.0.1: no secure cookies, HSTS or redirect.
SELFDIRECT_HTTPS = os.environ.get("SELFDIRECT_HTTPS", "1") == "1"
if PRODUCTION and SELFDIRECT_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer's health check may come over plain http from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Email (password reset links). Development and the demo write each email to a file in
# var/mail/ (no network); production sends through the council's SMTP server.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "selfdirect@localhost")
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
    EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A password reset link works for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

PEOPLE_PAGE_SIZE = 25
# Uploads for imports: 10,000 rows of CSV is about 2 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# One JSON object a line on standard error, Django's loggers included: a line per request
# (selfdirect.observability) with its request id; never names, emails or what was searched for.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "selfdirect.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "selfdirect.observability.JsonLogFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"selfdirect.request": {"level": "INFO"}},
}

# The council's code (ONS/DH CASSR code) on every row of the NHS England Client Level Data
# return (docs/cld.md); blank until the council sets it, and the validation report says so.
SELFDIRECT_CLD_LA_CODE = os.environ.get("SELFDIRECT_CLD_LA_CODE", "")
# The council's hourly rate for home care, used to express budgets as equivalent hours.
SELFDIRECT_HOURLY_RATE_PENCE = int(os.environ.get("SELFDIRECT_HOURLY_RATE_PENCE", "2350"))
# How many working days the council gives itself to answer a request to look again at a budget.
SELFDIRECT_CHALLENGE_WORKING_DAYS = int(os.environ.get("SELFDIRECT_CHALLENGE_WORKING_DAYS", "20"))
# Aggregates for commissioners (what-if, calibration): counts from 1 to this less one are
# shown as "fewer than N" (docs/security.md). 1 turns suppression off.
SELFDIRECT_SMALL_COUNT_THRESHOLD = max(
    1, int(os.environ.get("SELFDIRECT_SMALL_COUNT_THRESHOLD", "5"))
)
# Whether a practitioner may approve a support plan they wrote when it is within the budget
# (off by default: someone who did not write a plan approves it; over budget, never).
SELFDIRECT_ALLOW_OWN_PLAN_APPROVAL_WITHIN_BUDGET = (
    os.environ.get("SELFDIRECT_ALLOW_OWN_PLAN_APPROVAL_WITHIN_BUDGET", "0") == "1"
)
# Days of written notice before a budget or a direct payment is reduced or stopped.
SELFDIRECT_NOTICE_DAYS = int(os.environ.get("SELFDIRECT_NOTICE_DAYS", "28"))
# The contingency allowance: a budget account holding more than this many weeks of its
# weekly amount is heading for a surplus (the holder is told, kindly, on 'Your money').
SELFDIRECT_CONTINGENCY_WEEKS = max(1, int(os.environ.get("SELFDIRECT_CONTINGENCY_WEEKS", "8")))
# The council's direct payments team, shown to holders with their link person.
SELFDIRECT_DP_TEAM_NAME = os.environ.get("SELFDIRECT_DP_TEAM_NAME", "Direct Payments Team")
SELFDIRECT_DP_TEAM_PHONE = os.environ.get("SELFDIRECT_DP_TEAM_PHONE", "01632 960001")
SELFDIRECT_DP_TEAM_EMAIL = os.environ.get("SELFDIRECT_DP_TEAM_EMAIL", "direct.payments@example.org")
# Recovery of a direct payment surplus (docs/recovery.md), above the contingency allowance
# (SELFDIRECT_CONTINGENCY_WEEKS): the days a holder has to explain a surplus after the
# letter, and to appeal a decision to recover.
SELFDIRECT_RECOVERY_EXPLAIN_DAYS = int(os.environ.get("SELFDIRECT_RECOVERY_EXPLAIN_DAYS", "28"))
SELFDIRECT_RECOVERY_APPEAL_DAYS = int(os.environ.get("SELFDIRECT_RECOVERY_APPEAL_DAYS", "28"))
# Requests to change a provider or how a line is held (docs/changes.md): the working days
# the named worker has to decide one; the support categories where a change of who provides
# a line, held the same way and costing no more, needs no approval (a comma-separated list
# of category codes; empty: every change is decided); and how many switches within how many
# months make a person show up for their practitioner as switching often.
SELFDIRECT_CHANGE_DECIDE_DAYS = int(os.environ.get("SELFDIRECT_CHANGE_DECIDE_DAYS", "10"))
SELFDIRECT_CHANGES_WITHOUT_APPROVAL = [
    code.strip()
    for code in os.environ.get(
        "SELFDIRECT_CHANGES_WITHOUT_APPROVAL", "personal_assistant,day_activity"
    ).split(",")
    if code.strip()
]
SELFDIRECT_FREQUENT_SWITCHES = int(os.environ.get("SELFDIRECT_FREQUENT_SWITCHES", "3"))
SELFDIRECT_FREQUENT_SWITCH_MONTHS = int(os.environ.get("SELFDIRECT_FREQUENT_SWITCH_MONTHS", "12"))
# Whether a provider's changes to its own directory listing wait for the council's approval
# (docs/directory.md); "0" applies them at once (still audited).
SELFDIRECT_DIRECTORY_APPROVE_CHANGES = os.environ.get(
    "SELFDIRECT_DIRECTORY_APPROVE_CHANGES", "1"
).lower() in ("1", "true", "yes")
# Whether a person (or their representative) sees the names of those who looked at their
# record, or only their role and team (the default).
SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE = os.environ.get(
    "SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE", "0"
).lower() in ("1", "true", "yes")
# Review timescales in days after a plan is signed off (light-touch 42-56, a direct payment's
# first review at most 182, then at most 365), e.g. "light_touch=42,annual=365".
SELFDIRECT_REVIEW_DAYS = {
    kind.strip(): int(days)
    for kind, _, days in (
        item.partition("=")
        for item in os.environ.get("SELFDIRECT_REVIEW_DAYS", "").split(",")
        if item.strip()
    )
}

# Background tasks (docs/operations.md, docs/deployment.md): Django's tasks interface through
# the django-tasks backport. The default backend keeps the queue in this database and is run
# by ``manage.py run_worker`` (started beside the web server by ``make demo`` and
# ``make serve``). A council that outgrows one machine names another backend, e.g.
# SELFDIRECT_TASKS_BACKEND=django_tasks_rq.RQBackend with SELFDIRECT_TASKS_APPS=django_tasks_rq.
SELFDIRECT_TASKS_BACKEND = os.environ.get(
    "SELFDIRECT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
)
TASKS = {
    "default": {
        "BACKEND": SELFDIRECT_TASKS_BACKEND,
        "QUEUES": ["default"],
    }
}
if os.environ.get("SELFDIRECT_RQ_URL"):
    RQ_QUEUES = {"default": {"URL": os.environ["SELFDIRECT_RQ_URL"]}}
# How people reach the council: on every page a person sees, on every letter, and on the
# sign-in help pages. The demo's number is one Ofcom keeps for drama, never a real line.
SELFDIRECT_COUNCIL_TEAM = os.environ.get("SELFDIRECT_COUNCIL_TEAM", "Adult social care")
SELFDIRECT_COUNCIL_PHONE = os.environ.get("SELFDIRECT_COUNCIL_PHONE", "01632 960000")
SELFDIRECT_COUNCIL_HOURS = os.environ.get(
    "SELFDIRECT_COUNCIL_HOURS", "Monday to Friday, 9am to 5pm"
)
SELFDIRECT_COUNCIL_EMAIL = os.environ.get(
    "SELFDIRECT_COUNCIL_EMAIL", "adult.social.care@example.org"
)

# Telling people what happened (docs/notifications.md): the class that sends email, texts and
# letters. The default sends nothing over a network and keeps an outbox staff can read;
# GOV.UK Notify: SELFDIRECT_NOTIFY_BACKEND=selfdirect.notify.backends.GovukNotifyBackend.
SELFDIRECT_NOTIFY_BACKEND = os.environ.get(
    "SELFDIRECT_NOTIFY_BACKEND", "selfdirect.notify.backends.OutboxBackend"
)
SELFDIRECT_NOTIFY_API_KEY = os.environ.get("SELFDIRECT_NOTIFY_API_KEY", "")
# One Notify template per channel, with ((subject)), ((body)) and ((link)) in it.
SELFDIRECT_NOTIFY_TEMPLATES = {
    channel: os.environ.get(
        f"SELFDIRECT_NOTIFY_{channel.upper()}_TEMPLATE", f"selfdirect-{channel}"
    )
    for channel in ("email", "text", "letter")
}
# Monitoring of direct payments: how many people the quarter's random sample draws (the
# contingency allowance that flags a surplus is SELFDIRECT_CONTINGENCY_WEEKS above).
SELFDIRECT_MONITORING_SAMPLE_SIZE = int(os.environ.get("SELFDIRECT_MONITORING_SAMPLE_SIZE", "10"))
# Personal-assistant employers: how many days before the employer's liability insurance
# runs out the person is reminded (manage.py pa_reminders; docs/pa-employers.md).
SELFDIRECT_PA_INSURANCE_REMINDER_DAYS = max(
    1, int(os.environ.get("SELFDIRECT_PA_INSURANCE_REMINDER_DAYS", "28"))
)
# Where background jobs write the files they make (exports), one folder per job.
SELFDIRECT_JOB_FILES_DIR = Path(os.environ.get("SELFDIRECT_JOB_FILES_DIR", VAR_DIR / "jobs"))
# A worker that has not written its heartbeat for this many seconds is stale: /healthz says
# so, and the next worker takes back the jobs it left running.
SELFDIRECT_WORKER_STALE_SECONDS = int(os.environ.get("SELFDIRECT_WORKER_STALE_SECONDS", "60"))
# How many times a job is tried (a crash of its worker or an unexpected error) before it fails.
SELFDIRECT_JOB_MAX_ATTEMPTS = max(1, int(os.environ.get("SELFDIRECT_JOB_MAX_ATTEMPTS", "3")))

# The council's bank account that payment runs pay from, as the bank payment files name it
# (BACS Standard 18: the originating sort code, account number and user name; docs/payments.md).
SELFDIRECT_BACS_SORT_CODE = os.environ.get("SELFDIRECT_BACS_SORT_CODE", "000000")
SELFDIRECT_BACS_ACCOUNT_NUMBER = os.environ.get("SELFDIRECT_BACS_ACCOUNT_NUMBER", "00000000")
SELFDIRECT_BACS_USER_NAME = os.environ.get("SELFDIRECT_BACS_USER_NAME", "COUNCIL")
