"""One settings module for every environment, driven by environment variables.

DATABASE_URL unset: a SQLite file under var/. Set: Postgres with connection reuse.
REDIS_URL or CELERY_BROKER_URL unset: Celery uses kombu's filesystem transport (no server).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # Local runs and tests: a random key kept in var/, made on first start. Production sets SECRET_KEY.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "academics",
    "elections",
    "appeals",
    "advising",
    "studentlife",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "bootstrap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.KazakhFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.PasswordExpiryMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file by default, Postgres (or anything dj-database-url style) from DATABASE_URL.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side binding lets psycopg prepare a query after 5 runs on a connection: the planning of the
    # portal's repeated queries (a join's plan cost more than running it) is done once per connection.
    if env.bool("DB_PREPARED_STATEMENTS", default=True) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so a real Celery worker in the integration tests sees the data.
            "TEST": {"NAME": str(VAR_DIR / "test_portal.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds login throttling counters: the database, so every process shares it and a
# Redis outage never blocks sign-in (ARCHITECTURE.md, "Reliability by design").
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    },
    # Rendered page parts kept in each process (appeals/triage_cache.py): their keys carry the versions of
    # the data they show, so a process never serves one from before a change.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-pages",
        "OPTIONS": {"MAX_ENTRIES": 300},  # a triage list is about 40 kB
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12  # a session lasts the voting day

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# PT-05: composition and expiry are settings (an administrator may switch them off, following
# OWASP ASVS 5.0 / NIST 800-63B); the common-password and similarity checks always stay on.
PORTAL_PASSWORD_COMPOSITION = env.bool("PORTAL_PASSWORD_COMPOSITION", default=True)
PORTAL_PASSWORD_EXPIRY_DAYS = env.int("PORTAL_PASSWORD_EXPIRY_DAYS", default=42)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("id_code", "first_name", "last_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portal.passwords.CompositionValidator"},
]

# django-allauth: login by university ID code or e-mail (PT-06).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = "id_code"
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "portal.auth.PortalAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = True  # the session lasts SESSION_COOKIE_AGE
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
# Failed logins are throttled per address and per account (a dormitory shares one address).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("PORTAL_LOGIN_FAILED_RATE", default="20/m/ip,5/5m/key"),
    # Successful sign-ins: allauth's default (30/m/ip) would lock out a dormitory on election morning.
    "login": env.str("PORTAL_LOGIN_RATE", default="600/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# PT-02: Kazakh by default, Russian and English.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
# PT-03: aware datetimes in Asia/Almaty from tzdata, never a fixed offset.
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default; EMAIL_URL (smtp://user:pass@host:587?tls=True) in production.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@university.edu.kz")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when configured, otherwise kombu's filesystem transport so `make run` needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
# The filesystem URL names a host only to keep kombu from warning that it has none.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "portal.tasks.record_heartbeat",
        "schedule": env.float("PORTAL_HEARTBEAT_INTERVAL", default=30.0),
    },
    "send-pending-notifications": {"task": "portal.tasks.send_pending_notifications", "schedule": 60.0},
    "expire-fx-grades": {"task": "academics.tasks.expire_fx", "schedule": 6 * 60 * 60.0},
    # EL-01, EL-08: elections follow the clock (silence day, voting, counting) within a minute.
    "sync-elections": {"task": "elections.tasks.sync_elections", "schedule": 60.0},
    # Election reminders (issue 4, item 11): each sent once per election, kind and person.
    "election-reminders": {"task": "elections.tasks.send_election_reminders", "schedule": 5 * 60.0},
    # AP-19: appeal reminders and escalation, hourly in office hours; the sweep itself skips days off (so a
    # Saturday made a working day by decree is swept) and sends each reminder once however often it runs.
    "appeal-reminders": {"task": "appeals.tasks.send_reminders", "schedule": crontab(minute=5, hour="8-18")},
}
# A heartbeat older than this makes /healthz report the worker as down.
PORTAL_HEARTBEAT_MAX_AGE = 120

# EL-09: meetings with voters are held in breaks or after classes. The class timetable's breaks and the
# end of classes as (start, end) "HH:MM" pairs, Asia/Almaty time: the lunch break 11:50-12:40, and after
# classes end at 17:00 until the main building closes at 20:00. A meeting must fit inside one window.
ELECTION_MEETING_WINDOWS = [("11:50", "12:40"), ("17:00", "20:00")]
# EL-09: the designated places for campaign material. The regulation puts printed material only on the
# stands set up in the main academic building; each material also appears on the portal's campaign page.
ELECTION_CAMPAIGN_PLACES = [
    ("main_stand_1", _("Stand 1, main academic building, entrance hall")),
    ("main_stand_2", _("Stand 2, main academic building, second floor")),
    ("portal_only", _("The portal's campaign page only (not printed)")),
]

PORTAL_BENCH_ENDPOINTS = env.bool("PORTAL_BENCH_ENDPOINTS", default=False)

# Production hardening: on whenever DEBUG is off (`manage.py check --deploy` passes).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

ACCOUNT_FORMS = {
    "login": "portal.forms.LoginForm",
    "change_password": "portal.forms.ChangePasswordForm",
    "set_password": "portal.forms.SetPasswordForm",
    "reset_password": "portal.forms.ResetPasswordForm",
    "reset_password_from_key": "portal.forms.ResetPasswordKeyForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

# Appeals (AP-03): the corporate mailbox that `import_appeal_emails --mailbox` reads (IMAP over TLS).
APPEALS_IMAP_HOST = env.str("APPEALS_IMAP_HOST", default="")
APPEALS_IMAP_PORT = env.int("APPEALS_IMAP_PORT", default=993)
APPEALS_IMAP_SSL = env.bool("APPEALS_IMAP_SSL", default=True)
APPEALS_IMAP_USER = env.str("APPEALS_IMAP_USER", default="")
APPEALS_IMAP_PASSWORD = env.str("APPEALS_IMAP_PASSWORD", default="")
APPEALS_IMAP_FOLDER = env.str("APPEALS_IMAP_FOLDER", default="INBOX")
