"""Settings shared by every environment. Environment-specific modules import this."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from chengxin.environment import env_bool, env_int, env_list, env_str

SITE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SITE_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "chengxin",
    "merchants",
    "ratings",
    "cms",
    "print_templates",
    "portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
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
    "csp",
    "django_tasks_db",
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
    # Static files straight from the app server, before sessions and the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chengxin.proxies.ProxyCountMiddleware",
    "csp.middleware.CSPMiddleware",
    "chengxin.replicas.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chengxin.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "merchants.audit.AuditActorMiddleware",
    "merchants.admin.chooser_ids.MalformedChooserIdMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content-Security-Policy on every response (django-csp): no inline script
# anywhere, public pages or admin. Scripts come from our own origin; a template
# that truly needs an inline one uses the request's nonce. Inline <style> stays
# allowed: the scan page inlines its small stylesheet so a scan costs one
# request, and Wagtail's admin sets style attributes. docs/reliability.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# No avatars fetched from a third party and no release check calling out from
# the admin (neither is blocked by the policy then, nor leaks who is signed in).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

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
        # A kept connection is checked before a request reuses it, so a restarted
        # PostgreSQL costs a reconnect, not an error page.
        conn_health_checks=True,
    )
}
# A streaming replica for the public read paths (chengxin.replicas); empty: none.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASE_REPLICAS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS = ["replica"]
DATABASE_ROUTERS = ["chengxin.replicas.PrimaryReplicaRouter"]
# Views whose safe requests may read the replica (URL names).
DATABASE_REPLICA_READ_VIEWS = {
    "cms:merchant",
    "api:merchant",
    "api:precinct-ratings",
    "wagtail_serve",
}
# After a write, the visitor reads the primary this long (longer than the replica's lag).
DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 10, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
LOCAL_CACHE = {
    "BACKEND": "chengxin.process_cache.ProcessCache",
    "LOCATION": "chengxin-local",
    "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_MAX_ENTRIES", 2000, minimum=10)},
}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "chengxin"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # A Redis outage must not take pages down: reads miss, writes are
            # dropped, and the code that needs Redis (reviews) checks for itself.
            "IGNORE_EXCEPTIONS": True,
            # Fail fast rather than hang a worker on an unreachable Redis.
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    },
    # Each worker's own short-lived copies (pages fetched from Redis, scanned
    # placards, rendered review forms), so a burst of scans of one placard
    # costs no round trip. One mechanism for all of them, emptied in one call.
    "local": LOCAL_CACHE,
    # Rate-limit counters (reviews, sign-in) in a Redis database of their own,
    # configured with maxmemory-policy noeviction: evicting page-cache entries
    # under memory pressure is harmless, evicting a counter lifts a limit.
    # Errors are raised, not ignored: the code that counts fails closed.
    "ratelimit": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env_str("RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "chengxin"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    },
}
RATELIMIT_USE_CACHE = "ratelimit"

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
# Staff sign-in is throttled per account and per network (merchants/sign_in.py).
WAGTAILADMIN_USER_LOGIN_FORM = "merchants.sign_in.StaffLoginForm"
# Failed sign-ins allowed per account and per client network (IPv6: per /64);
# every rate of a list applies and a lock lasts until its window ends.
SIGN_IN_RATES = {
    "account": env_list("SIGN_IN_RATE_ACCOUNT", ["10/15m", "30/d"]),
    "address": env_list("SIGN_IN_RATE_ADDRESS", ["20/15m", "100/d"]),
}
# Requests to reset a staff password (each mails a link), per e-mail address and
# per client network, counted whether or not an account has the address.
PASSWORD_RESET_RATES = {
    "account": env_list("PASSWORD_RESET_RATE_ACCOUNT", ["3/h", "10/d"]),
    "address": env_list("PASSWORD_RESET_RATE_ADDRESS", ["10/h", "50/d"]),
}
# The site's public address. Canonical links and JSON-LD are built from it,
# never from the Host header of whoever happened to ask first.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
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
# How long a shared cache (nginx, a CDN) may keep a public page or API answer for
# visitors without a scan cookie (cms.shared_cache): the bound within which an
# archive change reaches them. Never past local midnight.
SHARED_CACHE_SECONDS = env_int("SHARED_CACHE_SECONDS", 60, minimum=0)

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
# Batches this big encode their QR codes in worker processes (up to 4, one per core).
PLACARD_PARALLEL_FROM = env_int("PLACARD_PARALLEL_FROM", 200, minimum=1)
PLACARD_SCAN_MAX_AGE = env_int("PLACARD_SCAN_MAX_AGE", 2 * 60 * 60, minimum=60)

# Reviews (ratings)
# Reverse proxies of our own in front of the app (load balancer, nginx). Each
# appends the address it was reached from to X-Forwarded-For, so the client is
# the Nth entry from the right. 0: the app is reached directly, and
# X-Forwarded-For (written by anyone on the internet) is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# django-ratelimit's "ip" key reads the client address the same way.
RATELIMIT_IP_META_KEY = "ratings.visitors.client_ip"
# Review rate limits: each a list of django-ratelimit rates that all apply.
# Windows are fixed, so a short rate bounds the burst a long one lets through
# at a window boundary; docs/reviews.md gives the worst case of each.
REVIEW_RATES = {
    # Per client address (IPv6: per /64). Generous: carriers share addresses.
    "ip": env_list("REVIEW_RATE_IP", ["10/10m", "60/d"]),
    # Per device (a signed, long-lived cookie).
    "device": env_list("REVIEW_RATE_DEVICE", ["5/h", "20/d"]),
    # Per merchant: reviews beyond it are held for moderation, not refused.
    "merchant_burst": env_list("REVIEW_RATE_MERCHANT_BURST", ["5/10m", "20/h"]),
    # Reports of reviews, per client address.
    "report_ip": env_list("REVIEW_RATE_REPORT_IP", ["10/h", "30/d"]),
    # Phone verification: codes sent per number and per client address, and
    # wrong codes per number (a six-digit code must not be guessable).
    "phone": env_list("REVIEW_RATE_PHONE", ["3/h", "6/d"]),
    "phone_ip": env_list("REVIEW_RATE_PHONE_IP", ["10/h", "30/d"]),
    "phone_code": env_list("REVIEW_RATE_PHONE_CODE", ["5/h"]),
}
# Phone verification of reviewers behind the scenes (ratings/phones.py). Off
# unless a district turns it on; the numbers are kept only as HMACs under
# REVIEW_PHONE_KEY (empty: a key derived from SECRET_KEY; set one and keep it,
# or stored hashes can no longer be matched).
REVIEW_PHONE_VERIFICATION = env_bool("REVIEW_PHONE_VERIFICATION", False)
REVIEW_PHONE_KEY = env_str("REVIEW_PHONE_KEY", "")
REVIEW_SMS_BACKEND = env_str("REVIEW_SMS_BACKEND", "ratings.phones.ConsoleBackend")
REVIEW_PHONE_CODE_SECONDS = env_int("REVIEW_PHONE_CODE_SECONDS", 600, minimum=60)
# One review per device and merchant in this many days (checked exactly in the database).
REVIEW_ONE_PER_DEVICE_DAYS = env_int("REVIEW_ONE_PER_DEVICE_DAYS", 30, minimum=1)
# IPv6 clients are counted per network of this prefix length (one subscriber line).
REVIEW_IPV6_PREFIX = 64
REVIEW_DEVICE_COOKIE_DAYS = 400
# Keyed hashes of addresses and devices are blanked, and their monthly salts
# deleted, after this many days (purge_review_hashes). At least the period above.
REVIEW_HASH_RETENTION_DAYS = env_int("REVIEW_HASH_RETENTION_DAYS", 60, minimum=1)
# A placard scanned from more distinct networks (IPv6: /64s) than this within an
# hour looks photographed and shared online: its new reviews are held for
# moderation. Keys are precinct slugs (a nested precinct takes its nearest
# named parent's figure); "default" covers the rest. docs/reviews.md.
REVIEW_HOLD_SCAN_NETWORKS = {"default": env_int("REVIEW_HOLD_SCAN_NETWORKS", 20, minimum=1)}
# Under this many published reviews the page says "too few reviews yet".
REVIEW_MIN_FOR_AVERAGE = 5
# Rankings use a Bayesian average: every merchant starts with this many
# imagined reviews at the prior mean (the middle of the scale).
REVIEW_PRIOR_MEAN = 3.0
REVIEW_PRIOR_WEIGHT = 5
# Published reviews shown on the merchant page, newest first.
REVIEW_SHOWN = 20

# The merchant portal (portal/) and the merchant's rights (merchants/)
# Staff decide an objection or a credit-repair application within this many
# working days of its filing; weekends and CREDIT_HOLIDAYS do not count, the
# make-up working days (调休) of CREDIT_WORKING_WEEKENDS do. Dates are ISO
# (2026-10-01), comma-separated.
OBJECTION_DECISION_WORKING_DAYS = env_int("OBJECTION_DECISION_WORKING_DAYS", 15, minimum=1)
CREDIT_HOLIDAYS = env_list("CREDIT_HOLIDAYS", [])
CREDIT_WORKING_WEEKENDS = env_list("CREDIT_WORKING_WEEKENDS", [])
# Attachments to objections and repair applications: PDF, PNG or JPEG only
# (checked by content, not by name), at most this many bytes each and this
# many per request. Stored outside MEDIA_ROOT and served to their merchant
# and to staff only.
PORTAL_ATTACHMENT_MAX_BYTES = env_int("PORTAL_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
PORTAL_ATTACHMENTS_PER_REQUEST = env_int("PORTAL_ATTACHMENTS_PER_REQUEST", 5, minimum=1)
PORTAL_ATTACHMENT_ROOT = Path(
    env_str("PORTAL_ATTACHMENT_ROOT", str(BASE_DIR / "private" / "attachments"))
)
# An invitation link to the portal works once, within this many days.
PORTAL_INVITATION_DAYS = env_int("PORTAL_INVITATION_DAYS", 14, minimum=1)
# Failed portal sign-ins allowed per account and per client network; every
# rate of a list applies and a lock lasts until its window ends.
PORTAL_SIGN_IN_RATES = {
    "account": env_list("PORTAL_SIGN_IN_RATE_ACCOUNT", ["5/15m", "20/d"]),
    "address": env_list("PORTAL_SIGN_IN_RATE_ADDRESS", ["20/15m", "100/d"]),
}
LOGIN_URL = "portal:sign_in"

# Mail to merchants (invitations, decisions, new reviews, expiring licences),
# sent by background tasks. Production sets the SMTP variables (README).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "诚信 Chengxin <noreply@localhost>")
