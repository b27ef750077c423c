"""WSGI entry point: ``gunicorn --pythonpath site chengxin.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings.production")
application = get_wsgi_application()
