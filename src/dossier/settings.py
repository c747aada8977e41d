"""Settings of Dossier, read from typed ``DOSSIER_*`` environment variables."""

from pathlib import Path

import dj_database_url

from dossier.env import SettingError, env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent

DOSSIER_ENV = env_str("DOSSIER_ENV", "development")
if DOSSIER_ENV not in {"development", "production"}:
    raise SettingError(
        f"DOSSIER_ENV must be development or production, got {DOSSIER_ENV!r}"
    )
PRODUCTION = DOSSIER_ENV == "production"
DEBUG = env_bool("DOSSIER_DEBUG", not PRODUCTION)

DATA_DIR = env_path("DOSSIER_DATA_DIR", Path.home() / ".local" / "share" / "dossier")
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"


def _secret(name: str, filename: str) -> str:
    """The secret from the environment, or in development one kept in DATA_DIR."""
    from dossier.core.secrets import read_or_create_secret

    return read_or_create_secret(name, DATA_DIR / filename, production=PRODUCTION)


SECRET_KEY = _secret("DOSSIER_SECRET_KEY", "secret.key")
DOSSIER_FIELD_KEY = _secret("DOSSIER_FIELD_KEY", "field.key")

ALLOWED_HOSTS = env_list(
    "DOSSIER_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env_list("DOSSIER_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "dossier.web.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "dossier.core",
    "dossier.guests",
    "dossier.history",
    "dossier.search",
    "dossier.care",
    "dossier.imports",
    "dossier.duplicates",
    "dossier.records",
    "dossier.messaging",
    "dossier.classes",
    "dossier.analyses",
    "dossier.banquets",
    "dossier.collection",
    "dossier.personnel",
    "dossier.transfer",
    "dossier.web",
    "dossier.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dossier.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dossier.core.middleware.LoginRequiredMiddleware",
]

MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "dossier.urls"
WSGI_APPLICATION = "dossier.wsgi.application"

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
                "dossier.web.context.dossier_context",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if url:
        try:
            config = dict(dj_database_url.parse(url, conn_max_age=60))
        except Exception as error:
            raise SettingError(f"DATABASE_URL cannot be read: {error}") from None
        config.setdefault("TEST", {"NAME": env_str("DOSSIER_TEST_DB_NAME", "") or None})
        if not env_bool("DOSSIER_PG_PREPARE", True):
            # See dossier.core.dbsetup.prepared_cursor.
            options = config.get("OPTIONS")
            options = dict(options) if isinstance(options, dict) else {}
            config["OPTIONS"] = {**options, "prepare_threshold": None}
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "dossier.sqlite3",
        # Each server thread keeps its connection: opening one per request (with its
        # PRAGMAs, a cold page cache and the schema read again) cost more than the
        # look-up itself.
        "CONN_MAX_AGE": env_int("DOSSIER_SQLITE_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "timeout": env_int("DOSSIER_SQLITE_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-64000;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Import progress lives in the cache: the commit's own transaction cannot show it to
# other connections. One process (``dossier serve``) needs no more than memory; several
# workers need a shared cache, e.g. DOSSIER_CACHE_URL=redis://127.0.0.1:6379/1.
_CACHE_URL = env_str("DOSSIER_CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
        }
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The user, staff profile, property, permissions and session are read in three plain
# statements a request (see dossier.core.authentication and dossier.core.sessions).
AUTHENTICATION_BACKENDS = ["dossier.core.authentication.StaffBackend"]
SESSION_ENGINE = "dossier.core.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DOSSIER_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production WhiteNoise serves straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Salutation for names in Latin script: "en" gives "Ms Martin", "zh" gives "Martin 女士".
DOSSIER_LATIN_HONORIFIC = env_str("DOSSIER_LATIN_HONORIFIC", "zh")
DOSSIER_PREFER_TITLES = env_bool("DOSSIER_PREFER_TITLES", True)
DOSSIER_IMPORT_MAX_ROWS = env_int("DOSSIER_IMPORT_MAX_ROWS", 2_000_000)
# Document archive: the longest loan of an original, and the font embedded in its PDFs.
DOSSIER_LOAN_MAX_DAYS = env_int("DOSSIER_LOAN_MAX_DAYS", 90)
if not 1 <= DOSSIER_LOAN_MAX_DAYS <= 3660:
    raise SettingError(
        f"DOSSIER_LOAN_MAX_DAYS must be 1 to 3660 days, got {DOSSIER_LOAN_MAX_DAYS}"
    )
# A loan request nobody approves within these days is withdrawn by the daily run.
DOSSIER_LOAN_REQUEST_DAYS = env_int("DOSSIER_LOAN_REQUEST_DAYS", 7)
if not 1 <= DOSSIER_LOAN_REQUEST_DAYS <= 365:
    raise SettingError(
        "DOSSIER_LOAN_REQUEST_DAYS must be 1 to 365 days, "
        f"got {DOSSIER_LOAN_REQUEST_DAYS}"
    )
DOSSIER_ATTACHMENT_MAX_BYTES = env_int("DOSSIER_ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024)
if DOSSIER_ATTACHMENT_MAX_BYTES < 1:
    raise SettingError(
        "DOSSIER_ATTACHMENT_MAX_BYTES must be a positive number of bytes, "
        f"got {DOSSIER_ATTACHMENT_MAX_BYTES}"
    )
DOSSIER_PDF_FONT = env_str(
    "DOSSIER_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)

# Messages. Nothing leaves a demo or development install: SMS go to a file unless
# DOSSIER_SMS_BACKEND=http names a gateway, e-mail to files unless DOSSIER_EMAIL_HOST
# names an SMTP server.
DOSSIER_SMS_BACKEND = env_str("DOSSIER_SMS_BACKEND", "console")
if DOSSIER_SMS_BACKEND not in {"console", "http"}:
    raise SettingError(
        f"DOSSIER_SMS_BACKEND must be console or http, got {DOSSIER_SMS_BACKEND!r}"
    )
DOSSIER_SMS_URL = env_str("DOSSIER_SMS_URL", "")
DOSSIER_SMS_API_KEY = env_str("DOSSIER_SMS_API_KEY", "")
if DOSSIER_SMS_BACKEND == "http" and not (DOSSIER_SMS_URL and DOSSIER_SMS_API_KEY):
    raise SettingError("DOSSIER_SMS_BACKEND=http needs DOSSIER_SMS_URL and _API_KEY")
DOSSIER_SMS_TIMEOUT = env_int("DOSSIER_SMS_TIMEOUT", 10)
DOSSIER_SMS_OUTBOX = env_path("DOSSIER_SMS_OUTBOX", DATA_DIR / "outbox" / "sms.jsonl")
# Price of one SMS part, in fen.
DOSSIER_SMS_COST_FEN = env_int("DOSSIER_SMS_COST_FEN", 5)
if DOSSIER_SMS_COST_FEN < 0:
    raise SettingError(
        f"DOSSIER_SMS_COST_FEN must be 0 or more: {DOSSIER_SMS_COST_FEN}"
    )
# Shared secret of pushed delivery reports and replies (/messaging/sms/callback/),
# which are refused while it is empty.
DOSSIER_SMS_CALLBACK_SECRET = env_str("DOSSIER_SMS_CALLBACK_SECRET", "")
if 0 < len(DOSSIER_SMS_CALLBACK_SECRET) < 16:
    raise SettingError("DOSSIER_SMS_CALLBACK_SECRET must be at least 16 characters")

EMAIL_HOST = env_str("DOSSIER_EMAIL_HOST", "")
EMAIL_PORT = env_int("DOSSIER_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DOSSIER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DOSSIER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DOSSIER_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("DOSSIER_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_int("DOSSIER_EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "outbox" / "mail"
DEFAULT_FROM_EMAIL = env_str("DOSSIER_EMAIL_FROM", "dossier@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {"client_errors_plain": {"()": "dossier.core.logs.ClientErrorsPlain"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_plain"],
        }
    },
    "loggers": {
        # Not propagated: a server that sets up the root logger would print each
        # line twice.
        "dossier": {
            "handlers": ["console"],
            "level": env_str("DOSSIER_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Daily jobs (dossier run-daily, or Celery beat): how many days back a day the server
# was down is still caught up; older days are reported as missed.
DOSSIER_CATCHUP_DAYS = env_int("DOSSIER_CATCHUP_DAYS", 3)
if not 0 <= DOSSIER_CATCHUP_DAYS <= 31:
    raise SettingError(
        f"DOSSIER_CATCHUP_DAYS must be between 0 and 31: {DOSSIER_CATCHUP_DAYS}"
    )
DOSSIER_CELERY_BROKER = env_str("DOSSIER_CELERY_BROKER", "redis://127.0.0.1:6379/0")
# The hour (server time zone) at which Celery beat starts the daily run.
DOSSIER_DAILY_HOUR = env_int("DOSSIER_DAILY_HOUR", 9)
if not 0 <= DOSSIER_DAILY_HOUR <= 23:
    raise SettingError(
        f"DOSSIER_DAILY_HOUR must be between 0 and 23: {DOSSIER_DAILY_HOUR}"
    )
