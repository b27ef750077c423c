"""Seed one merchant with a typical record for bench/scan_page.py (run inside Django)."""

import datetime

from merchants.models import Inspection, Licence, Merchant, Penalty, Precinct

CODE = "91350100M000100Y43"
AUTHORITY = "越秀区市场监督管理局"

precinct, _ = Precinct.objects.get_or_create(
    slug="bench-street",
    defaults={"name_zh": "基准街", "name_en": "Bench Street", "kind": "street"},
)
merchant, created = Merchant.objects.get_or_create(
    code=CODE,
    defaults={
        "name_zh": "基准茶行",
        "name_en": "Bench Tea House",
        "kind": "shop",
        "category": "tea",
        "precinct": precinct,
        "stall": "A001",
    },
)
if created:
    for index in range(3):
        Licence.objects.create(
            merchant=merchant,
            kind="business",
            number=f"BENCH-{index}",
            issuer=AUTHORITY,
            issued_on=datetime.date(2024, 1, 1),
            expires_on=datetime.date(2030, 1, 1),
        )
    for index in range(12):
        Inspection.objects.create(
            merchant=merchant,
            inspected_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=60 * index),
            authority=AUTHORITY,
            kind="random",
            result="pass",
            findings="未发现问题",
        )
    Penalty.objects.create(
        merchant=merchant,
        decision_number="BENCH-P-1",
        decided_on=datetime.date.today() - datetime.timedelta(days=30),
        authority=AUTHORITY,
        violation="未明码标价",
        penalty_types=["fine"],
        fine_amount=2000,
    )

# A placard to scan, so the benchmark can also measure a visitor who just scanned.
from print_templates.models import Placard  # noqa: E402

placard = (
    Placard.objects.filter(merchant=merchant).first()
    or Placard.objects.issue([merchant], "window-sticker").pop()
)
print(f"TOKEN={placard.token}")
