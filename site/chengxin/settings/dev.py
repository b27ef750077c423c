"""The zero-setup demo: embedded SQLite and an in-process cache, DEBUG on.

Never for production: the secret is a fixed, public demo value.
"""

from chengxin.environment import env_str

from .base import *  # noqa: F403
from .base import BASE_DIR, LOCAL_CACHE, LOGGING

DEBUG = True
SECRET_KEY = "demo-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("DEMO_DATABASE_PATH", str(BASE_DIR / "demo.sqlite3")),
        "OPTIONS": {"timeout": 20},
    }
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": LOCAL_CACHE,
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    },
}

# Print batches run inline in the demo, and loading it publishes dozens of pages;
# their per-task and per-page log lines would bury the staff login it prints.
LOGGING["loggers"] = {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}}

# The demo is one process, so an in-process cache is shared by every request.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Mail to merchants is printed on the console, never sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
