"""gunicorn settings for every app server (``gunicorn -c deploy/gunicorn.conf.py chengxin.wsgi``).

Sync workers, two per CPU plus one: a request either hits the page cache (well
under a millisecond of Python) or waits on PostgreSQL, so a few more workers
than cores keep the cores busy. ``GUNICORN_WORKERS`` overrides the count and
``GUNICORN_BIND`` the address.
"""

import multiprocessing
import os

pythonpath = "site"
wsgi_app = "chengxin.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request that takes longer than this is stuck (a hung connection): the worker is replaced.
timeout = 30
graceful_timeout = 20
# The app logs to stderr; gunicorn's access log (to stdout, or the file in
# GUNICORN_ACCESS_LOG; "off" for none) in the common format plus the duration in µs.
_access = os.environ.get("GUNICORN_ACCESS_LOG", "-")
accesslog = None if _access == "off" else _access
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Behind nginx: the proxy addresses X-Forwarded-* is accepted from (Django decides itself
# which entry is the client, by TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
