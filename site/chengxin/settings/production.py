"""Production: refuses to start without a secret, with DEBUG on, or on an unshared cache."""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

from chengxin.environment import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import CACHES, DEBUG, TRUSTED_PROXY_COUNT

SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not CACHES["default"]["BACKEND"].startswith("django_redis"):
    raise ImproperlyConfigured("Production needs the shared Redis cache.")


def _redis_database(url):
    """(host, port, database number) of a redis:// URL, to tell two databases apart."""
    parts = urlsplit(url)
    number = parts.path.strip("/") or parse_qs(parts.query).get("db", ["0"])[0]
    return (parts.hostname or parts.path, parts.port or 6379, str(number))


# Rate-limit counters must not be evicted with the page cache: their own
# database, set to maxmemory-policy noeviction (README, "Redis").
CACHES["ratelimit"]["LOCATION"] = env_str("RATELIMIT_REDIS_URL", required=True)
if _redis_database(CACHES["ratelimit"]["LOCATION"]) == _redis_database(
    CACHES["default"]["LOCATION"]
):
    raise ImproperlyConfigured(
        "RATELIMIT_REDIS_URL must name another Redis database than REDIS_URL: "
        "rate-limit counters must not be evicted with the page cache."
    )

# Only a proxy of ours may say the request came over HTTPS; reached directly,
# a client could claim it.
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer's liveness probe speaks plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Placard signatures must survive a SECRET_KEY rotation: printed codes stay on walls.
PLACARD_SECRET = env_str("PLACARD_SECRET", required=True)
if len(PLACARD_SECRET) < 32:
    raise ImproperlyConfigured("PLACARD_SECRET must be at least 32 characters long.")

# Static files under content-hashed, pre-compressed names (collectstatic), so
# they can be cached for a year; WhiteNoise serves them from each app server.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Long print batches run in a worker (`manage.py db_worker`), not in the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CSRF_TRUSTED_ORIGINS = [env_str("PUBLIC_BASE_URL", required=True)]

# Phone verification, where a district turns it on, needs a real SMS gateway
# and a key of its own for the number hashes (kept across SECRET_KEY rotations).
if env_bool("REVIEW_PHONE_VERIFICATION", False):
    if env_str("REVIEW_SMS_BACKEND", "ratings.phones.ConsoleBackend").endswith("ConsoleBackend"):
        raise ImproperlyConfigured("REVIEW_SMS_BACKEND must name a real SMS gateway backend.")
    if len(env_str("REVIEW_PHONE_KEY", required=True)) < 32:
        raise ImproperlyConfigured("REVIEW_PHONE_KEY must be at least 32 characters long.")
