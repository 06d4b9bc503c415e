"""Django settings. Every value that differs between machines comes from the
environment through supportdesk.env; see .env.example for the variables."""

import os
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from supportdesk.env import (
    EnvError,
    env_bool,
    env_database,
    env_float,
    env_imap_url,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    env_wecom_aes_key,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# `make run` writes .env (DEBUG=1, a SECRET_KEY); the environment wins over it.
# SUPPORTDESK_ENV_FILE names another file, or none when empty (the tests).
load_env_file(os.environ.get("SUPPORTDESK_ENV_FILE", BASE_DIR / ".env"))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise EnvError(
            "SECRET_KEY",
            "must be set when DEBUG is off (a development key is used only with DEBUG=1)",
        )
    SECRET_KEY = "django-insecure-development-only-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "simple_history",
    "axes",
    "outbox",
    "rules",  # {% load rules %}: the ticket permission rules in templates
    "guide",
    "tickets",
    "reports",
    "imports",
    "macros",
    "inbox",
    "supportdesk.apps.SupportdeskConfig",  # start-up: local directories, request logs
    "notifications",
]

MIDDLEWARE = [
    "supportdesk.logs.RequestLogMiddleware",  # first: its duration covers all the rest
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "supportdesk.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "supportdesk.badinput.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "supportdesk.middleware.RenewSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "supportdesk.middleware.PrivateNoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "supportdesk.middleware.LoginRequiredExceptPublicMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Secure by default with DEBUG off: `check --deploy` is clean with only
# SECRET_KEY and ALLOWED_HOSTS set. A lab deployment over plain HTTP opts out
# with SUPPORTDESK_HTTPS=0 (no redirect, no HSTS, cookies not Secure). Behind a
# TLS-terminating proxy, it must set X-Forwarded-Proto.
HTTPS = env_bool("SUPPORTDESK_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Idle timeout: the session lasts SESSION_IDLE_TIMEOUT seconds after the last
# request (default 8 hours); supportdesk.middleware.RenewSessionMiddleware moves
# the expiry on at most every few minutes instead of writing on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 8 * 3600)
# Django's database sessions, read with one plain statement (supportdesk/sessions.py).
SESSION_ENGINE = "supportdesk.sessions"
# Strict CSP (django-csp): only our own vendored scripts, inline ones by nonce.
# Inline style attributes stay allowed (the login card, the report's bars).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "supportdesk.urls"
WSGI_APPLICATION = "supportdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", str(BASE_DIR / "var" / "supportdesk.sqlite3"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # tickets.permissions: who may do what with a ticket (object rules).
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins, counted in the database so every web
# process agrees.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
# Production serves collected files under hashed names (cached for ever) with
# gzip/brotli copies; `manage.py collectstatic` writes them. DEBUG serves the
# files as they are, so `make run` needs no collect step.
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
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Rows in one ticket export (CSV or XLSX); beyond it the list asks for a narrower filter.
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 200_000)

# Every message goes through the logging backend to the one EMAIL_BACKEND names.
EMAIL_BACKEND = "supportdesk.logs.LoggedEmailBackend"
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Links in mails (escalations, referrals, weekly reports) point at SITE_URL.
# `make run` sets it from HOST; a production server that sends mail must say
# where it is, or every link would lead to the development default.
_MAIL_STAYS_LOCAL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
if not DEBUG and not env_str("SITE_URL") and EMAIL_DELIVERY_BACKEND not in _MAIL_STAYS_LOCAL:
    raise EnvError(
        "SITE_URL",
        "must be set when DEBUG is off and mail is sent (the links in mails point to it)",
    )
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # a hung mail server fails the try; the outbox retries
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "supportdesk@uestc.edu.cn")
INFO_CENTER_EMAIL = env_str("INFO_CENTER_EMAIL", "iservice@uestc.edu.cn")
INFO_CENTER_PHONE = env_str("INFO_CENTER_PHONE", "028-61831184")
# The WeCom activation link the public guide shows as a QR code ("" hides it).
WECOM_ACTIVATION_URL = env_str("WECOM_ACTIVATION_URL", "")
REPORT_RECIPIENTS = env_list("REPORT_RECIPIENTS", [])
# Live figures of a period nobody stored (a range, this week) are computed at
# most once per this many seconds for everyone, in the shared cache; the page
# says when they were computed. 0 computes them on every view.
REPORT_LIVE_SECONDS = env_int("REPORT_LIVE_SECONDS", 60)
# Answered tickets with no activity for this many days are resolved by a rule.
AUTO_CLOSE_DAYS = env_int("AUTO_CLOSE_DAYS", 7)
# Open tickets waiting longer than this (hours, by route) are overdue on the list
# and the desk home page; answered tickets wait for the candidate, not the desk.
TICKET_DUE_HOURS = {
    "guide_answer": env_int("DUE_HOURS_GUIDE_ANSWER", 24),
    "manual": env_int("DUE_HOURS_MANUAL", 24),
    "escalate": env_int("DUE_HOURS_ESCALATE", 24),
    "refer_college": env_int("DUE_HOURS_REFER_COLLEGE", 72),
}
# Also mail the desk (through the outbox) when a teacher acts on a referred ticket.
NOTIFY_DESK_BY_MAIL = env_str("NOTIFY_DESK_BY_MAIL", "") == "1"

# Triage: below this calibrated confidence a suggestion is flagged 请核对;
# the route conditions' day thresholds. Unset (None): the engine's own defaults,
# chosen by measurement (guide.triage.engine.Thresholds, the one place they
# are written). Only the defaults: the info-center lead sets the values in force
# in the admin (guide.models.TriageSettings), picked up by every process within 2 s.
TRIAGE_REVIEW_BELOW = env_float("TRIAGE_REVIEW_BELOW", at_most=1.0)  # a confidence
TRIAGE_WAITED_LONG_DAYS = env_float("TRIAGE_WAITED_LONG_DAYS")
TRIAGE_DEADLINE_NEAR_DAYS = env_float("TRIAGE_DEADLINE_NEAR_DAYS")
# Refit the model (Celery task, asked for through the outbox) after each
# correction. Without REDIS_URL it runs in a background thread of the web
# process (never inside the request that made the correction).
TRIAGE_RETRAIN_ON_CORRECTION = env_bool("TRIAGE_RETRAIN_ON_CORRECTION", True)

# Celery: a real Redis broker when REDIS_URL is set; otherwise tasks run
# eagerly in the calling process, so a laptop needs no server.
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "close-answered": {
        "task": "tickets.tasks.close_answered",
        "schedule": crontab(hour=3, minute=15),
    },
    "weekly-report": {
        "task": "reports.tasks.build_last_week_reports",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Beat drops a run it cannot queue (Redis down at 08:00): catch up hourly,
    # a no-op once the week is stored and mailed.
    "weekly-report-catch-up": {
        "task": "reports.tasks.build_last_week_reports",
        "schedule": crontab(hour="9-20", minute=30, day_of_week="mon"),
        "kwargs": {"only_missing": True},
    },
}

# Outbox (see outbox/__init__.py): side effects are rows delivered after commit,
# in-process when Celery is eager, else in a thread of the web process; the
# relay (beat every OUTBOX_RELAY_EVERY s, or `manage.py relay`) retries with
# backoff. /healthz turns 503 when the oldest undelivered row is older than
# OUTBOX_BACKLOG_MAX_AGE seconds.
OUTBOX_DELIVER_ON_COMMIT = env_str(
    "OUTBOX_DELIVER_ON_COMMIT", "sync" if CELERY_TASK_ALWAYS_EAGER else "thread"
)
if OUTBOX_DELIVER_ON_COMMIT not in {"sync", "thread", "off"}:
    raise EnvError("OUTBOX_DELIVER_ON_COMMIT", "expected sync, thread or off")
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
OUTBOX_BATCH_SIZE = 100
OUTBOX_RELAY_EVERY = env_int("OUTBOX_RELAY_EVERY", 10)
OUTBOX_BACKLOG_MAX_AGE = env_int("OUTBOX_BACKLOG_MAX_AGE", 600)
CELERY_BEAT_SCHEDULE["outbox-relay"] = {
    "task": "outbox.tasks.relay",
    "schedule": OUTBOX_RELAY_EVERY,
    "options": {"expires": OUTBOX_RELAY_EVERY},
}

# Channels (inbox): each is off until its settings are given.
# The desk's mailbox: imaps://user:password@host:993/INBOX (or imap+starttls://, imap://).
IMAP = env_imap_url("IMAP_URL")
IMAP_CA_FILE = env_str("IMAP_CA_FILE")  # a lab server's own CA; the system's CAs when unset
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 30)
MAIL_FETCH_EVERY = env_int("MAIL_FETCH_EVERY", 60)  # seconds between fetches by Celery beat
MAIL_ATTACHMENT_MAX_BYTES = env_int("MAIL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# The address replies come from: the mailbox candidates write to, so their answers return there.
MAIL_REPLY_FROM = env_str("MAIL_REPLY_FROM", INFO_CENTER_EMAIL)
if IMAP and REDIS_URL:
    CELERY_BEAT_SCHEDULE["fetch-mail"] = {
        "task": "inbox.tasks.fetch_mail",
        "schedule": float(MAIL_FETCH_EVERY),
    }
# The WeCom self-built app (企业微信 自建应用): callback and message API.
WECOM_CORP_ID = env_str("WECOM_CORP_ID")
WECOM_TOKEN = env_str("WECOM_TOKEN")
WECOM_AES_KEY = env_wecom_aes_key("WECOM_AES_KEY")
WECOM_AGENT_ID = env_str("WECOM_AGENT_ID")
WECOM_SECRET = env_str("WECOM_SECRET")
WECOM_API_BASE = env_str("WECOM_API_BASE", "https://qyapi.weixin.qq.com").rstrip("/")

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or hung fails a cache call within a second
            # (the throttles then let the request through) instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
        }
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tickets.api.throttles.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Counted in CACHES (Redis in production), so every process agrees; 429 + Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "tickets.api.throttles.TokenThrottle",
        "tickets.api.throttles.AddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_PER_TOKEN", "600/min"),
        "address": env_str("API_RATE_PER_ADDRESS", "1200/min"),
        "failed_auth": env_str("API_RATE_FAILED_AUTH", "20/min"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "tickets.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "supportdesk API",
    "DESCRIPTION": "Log and triage candidate account problems for the UESTC service desk.",
    "VERSION": "1.0.0",
    # One name for each set of choices, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "RouteEnum": "guide.models.Route",
        "StatusEnum": "tickets.models.Status",
        "ChannelEnum": "tickets.models.Channel",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
