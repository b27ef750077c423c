"""The test suite: real PostgreSQL and Redis from DATABASE_URL and REDIS_URL."""

from chengxin.environment import env_str

from .base import *  # noqa: F403
from .base import CACHES

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite empties its Redis database between tests, so it gets one of its own.
CACHES["default"]["LOCATION"] = env_str("REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES["default"]["KEY_PREFIX"] = "chengxin-test"
# Counters share the suite's Redis database under their own prefix, so parallel
# suites on other databases never flush them; tests/conftest.py empties both.
CACHES["ratelimit"]["LOCATION"] = CACHES["default"]["LOCATION"]
CACHES["ratelimit"]["KEY_PREFIX"] = "chengxin-test-ratelimit"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A holiday list the working-day clock is tested with (National Day 2026, and
# the Saturday worked in exchange).
CREDIT_HOLIDAYS = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
CREDIT_WORKING_WEEKENDS = ["2026-10-10"]
