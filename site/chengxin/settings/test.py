"""The test suite: real PostgreSQL and Redis from DATABASE_URL and REDIS_URL."""

from .base import *  # noqa: F403
from .base import CACHES

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES["default"]["KEY_PREFIX"] = "chengxin-test"
