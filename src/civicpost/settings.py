"""Django settings for civicpost. Every value comes from the environment (see ``config.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from civicpost import config

# Django's generic classes (ModelAdmin[Person], ModelForm[Draft]) become subscriptable at runtime,
# so the whole package can be type-checked strictly.
django_stubs_ext.monkeypatch()

CONFIG = config.load()
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
CIVICPOST_DATA_DIR = CONFIG.data_dir
CIVICPOST_DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "civicpost.people",
    "civicpost.drafts",
    "civicpost.archive",
    "civicpost.publishing",
    "civicpost.feedback",
    "civicpost.woo",
    "civicpost.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "civicpost.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civicpost.web.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "civicpost.urls"
WSGI_APPLICATION = "civicpost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicpost.web.context_processors.civicpost",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # pytest-django and `civicpost manage test` create "test_<name>" beside it.
    DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = CONFIG.language_code
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Our catalogue first, so our wording wins over Django's own ("Log in" is "Inloggen" here).
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "civicpost_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CIVICPOST_DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = CIVICPOST_DATA_DIR / "media"

if CONFIG.email_url.startswith("smtp://") or CONFIG.email_url.startswith("smtps://"):
    from urllib.parse import unquote, urlparse

    _mail = urlparse(CONFIG.email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_USE_TLS = _mail.scheme == "smtp" and _mail.port == 587
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = CONFIG.default_from_email

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a commitment each organisation makes for its own domain.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The Content-Security-Policy sent on every response (see web/middleware.py).
CIVICPOST_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)
# Where organisations keep their own policy pack (a folder with pack.yaml); empty = defaults.
CIVICPOST_POLICY_DIR = CONFIG.policy_dir

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"civicpost": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Background tasks (Django's task API via django-tasks): CIVICPOST_TASKS picks the backend.
# "database" (default): django-tasks-db, worker `civicpost worker`; "immediate": run in the
# calling process; "redis": RQ workers on Redis via django-tasks-rq (`civicpost worker` runs one).
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "redis": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
TASKS = {"default": _TASK_BACKENDS[CONFIG.tasks_backend]}
if CONFIG.tasks_backend == "redis":
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

# Publishing: channel credentials are Fernet-encrypted with this key; empty derives one from
# SECRET_KEY (development only: rotating SECRET_KEY then makes stored credentials unreadable).
CIVICPOST_CREDENTIALS_KEY = os.environ.get("CIVICPOST_CREDENTIALS_KEY", "")
CIVICPOST_PUBLISH_MAX_ATTEMPTS = int(os.environ.get("CIVICPOST_PUBLISH_MAX_ATTEMPTS", "8"))
CIVICPOST_PUBLISH_BACKOFF_SECONDS = float(os.environ.get("CIVICPOST_PUBLISH_BACKOFF_SECONDS", "30"))
# A send still "sending" after this long is presumed lost (worker killed); recovery looks it up.
CIVICPOST_PUBLISH_SENDING_TIMEOUT = float(
    os.environ.get("CIVICPOST_PUBLISH_SENDING_TIMEOUT", "300")
)
CIVICPOST_HARVEST_SECONDS = float(os.environ.get("CIVICPOST_HARVEST_SECONDS", "900"))
CIVICPOST_TICK_SECONDS = float(os.environ.get("CIVICPOST_TICK_SECONDS", "60"))
# Where the website channel writes its pages; civicpost serves them under /site/.
CIVICPOST_SITE_DIR = Path(os.environ.get("CIVICPOST_SITE_DIR", "") or CIVICPOST_DATA_DIR / "site")
