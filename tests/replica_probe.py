"""Run in a process set up with a primary and a streaming replica (test_database_router.py).

Makes archive data on the primary, waits until the replica has it, then
requests each path as a visitor and records which database aliases served the
queries. Prints one JSON object: {step: {"default": n, "replica": n, ...}}.
"""

import json
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from chengxin import replicas  # noqa: E402
from cms import page_cache  # noqa: E402
from merchants.models import Merchant  # noqa: E402
from ratings.models import Review  # noqa: E402
from tests.factories import MerchantFactory, PrecinctFactory  # noqa: E402
from tests.factories_print import issue  # noqa: E402
from tests.factories_ratings import form_data, review_path  # noqa: E402

results = {}


def served_by(step, action):
    captures = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}
    for capture in captures.values():
        capture.__enter__()
    try:
        outcome = action()
    finally:
        for capture in captures.values():
            capture.__exit__(None, None, None)
    results[step] = {alias: len(capture.captured_queries) for alias, capture in captures.items()}
    if hasattr(outcome, "status_code"):
        results[step]["status"] = outcome.status_code
    return outcome


street = PrecinctFactory(slug="replica-street", name_en="Replica Street")
call_command("sync_precinct_pages", verbosity=0)
merchant = MerchantFactory(precinct=street)
placard = issue(merchant)
staff = get_user_model().objects.create_superuser("replica-staff", password="x" * 12)

deadline = time.monotonic() + 30
while not Merchant.objects.using("replica").filter(code=merchant.code).exists():
    if time.monotonic() > deadline:
        raise SystemExit("the replica never received the merchant")
    time.sleep(0.1)

visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
page_cache.forget_all()
served_by("merchant page", lambda: visitor.get(f"/en/m/{merchant.code}/"))
served_by("api", lambda: visitor.get(f"/api/v1/merchants/{merchant.code}"))
served_by("precinct page", lambda: visitor.get("/en/replica-street/"))
served_by("healthz", lambda: visitor.get("/healthz"))
results["healthz"]["body"] = visitor.get("/healthz").content.decode()

staff_client = Client(HTTP_ACCEPT_LANGUAGE="en")
staff_client.force_login(staff)
served_by("admin", lambda: staff_client.get("/admin/"))

reviewer = Client(HTTP_ACCEPT_LANGUAGE="en")
served_by("scan", lambda: reviewer.get(f"/q/{placard.token}"))
served_by("review post", lambda: reviewer.post(review_path(merchant, "en"), form_data()))
results["review post"]["sticky cookie"] = replicas.STICKY_COOKIE in reviewer.cookies
results["review post"]["stored on primary"] = Review.objects.filter(merchant=merchant).count()
page_cache.forget_all()
served_by("merchant page after own write", lambda: reviewer.get(f"/en/m/{merchant.code}/"))
page_cache.forget_all()
served_by("merchant page, another visitor", lambda: visitor.get(f"/en/m/{merchant.code}/"))

token = replicas._public_read.set(True)
try:
    served_by("public read outside a transaction", lambda: list(Merchant.objects.all()))

    def read_in_transaction():
        with transaction.atomic():
            return list(Merchant.objects.all())

    served_by("public read inside a transaction", read_in_transaction)
finally:
    replicas._public_read.reset(token)

print("PROBE=" + json.dumps(results))
