"""Settings shared by every environment. Environment-specific modules import this."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from chengxin.environment import env_bool, env_int, env_list, env_str

SITE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SITE_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "merchants",
    "ratings",
    "cms",
    "print_templates",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_ratelimit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "merchants.audit.AuditActorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "chengxin.urls"
WSGI_APPLICATION = "chengxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chengxin"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "chengxin"),
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
RATELIMIT_USE_CACHE = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

WAGTAIL_SITE_NAME = "诚信 Chengxin"
WAGTAILADMIN_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "xlsx"]

# Public display windows of administrative penalties, in calendar months from the
# decision date. A general penalty is public for a year and may be withdrawn by
# credit repair after three months; a serious one for three years and one year.
CREDIT_PENALTY_PUBLICITY_MONTHS = {"general": 12, "serious": 36}
CREDIT_PENALTY_REPAIR_AFTER_MONTHS = {"general": 3, "serious": 12}
# A licence whose expiry is this many days away or fewer is shown as expiring.
CREDIT_LICENCE_EXPIRING_DAYS = 30

# Seconds a worker keeps a rendered merchant page it fetched from Redis; other
# workers see a change after at most this long. 0 turns the per-process copy off.
SCAN_PAGE_LOCAL_SECONDS = env_int("SCAN_PAGE_LOCAL_SECONDS", 5, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

PUBLIC_DATA_SOURCE = _("District public credit information platform")

# Placards (print_templates)
# The site address printed in every placard's QR code. Keep it short: the scan
# URL must stay at QR version 4 at level Q (a system check says when it does not).
PLACARD_BASE_URL = env_str("PLACARD_BASE_URL", WAGTAILADMIN_BASE_URL)
# The key placard signatures are made with. Printed placards outlive a
# SECRET_KEY rotation, so production sets its own and keeps it; empty means a
# key derived from SECRET_KEY with the placard salt.
PLACARD_SECRET = env_str("PLACARD_SECRET", "")
# A CJK font with TrueType outlines (.ttf/.ttc); empty means the packaged
# WenQuanYi Micro Hei (paperang-p2-fonts-cjk).
PLACARD_FONT_PATH = env_str("PLACARD_FONT_PATH", "")
# Finished print batches: outside MEDIA_ROOT, downloaded only through a staff view.
PLACARD_PRINT_ROOT = Path(env_str("PLACARD_PRINT_ROOT", str(BASE_DIR / "private" / "print-jobs")))
# How long a scan vouches that a visitor stood in front of the placard.
PLACARD_SCAN_MAX_AGE = env_int("PLACARD_SCAN_MAX_AGE", 2 * 60 * 60, minimum=60)
