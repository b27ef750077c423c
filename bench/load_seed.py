"""Seed bench/load_and_faults.py's database (run inside Django): precincts, shops, placards.

Prints SEED=<json> with the merchant codes, precinct page paths and placard tokens.
"""

import datetime
import json

from django.core.management import call_command

from merchants.models import Merchant, Precinct
from print_templates.models import Placard
from tests.factories import InspectionFactory, LicenceFactory, MerchantFactory, PenaltyFactory

MERCHANTS = 1000
PLACARDS = 400

if not Merchant.objects.exists():
    precincts = [
        Precinct.objects.create(
            slug=f"load-street-{index}",
            name_zh=f"负载街{index}",
            name_en=f"Load Street {index}",
            kind="street",
        )
        for index in range(5)
    ]
    today = datetime.date.today()
    for index in range(MERCHANTS):
        merchant = MerchantFactory(
            precinct=precincts[index % len(precincts)], kind="shop", category="tea"
        )
        LicenceFactory(merchant=merchant, expires_on=today + datetime.timedelta(days=400))
        InspectionFactory(merchant=merchant, inspected_on=today - datetime.timedelta(days=30))
        if index % 10 == 0:
            PenaltyFactory(merchant=merchant, decided_on=today - datetime.timedelta(days=20))
    call_command("sync_precinct_pages", verbosity=0)
    merchants = list(Merchant.objects.order_by("pk")[:PLACARDS])
    Placard.objects.issue(merchants, "window-sticker")

placards = Placard.objects.select_related("merchant").order_by("pk")
print(
    "SEED="
    + json.dumps(
        {
            "codes": list(Merchant.objects.order_by("pk").values_list("code", flat=True)),
            "precincts": [f"/load-street-{index}/" for index in range(5)]
            + [f"/en/load-street-{index}/" for index in range(5)],
            "placards": [[placard.token, placard.merchant.code] for placard in placards],
        }
    )
)
