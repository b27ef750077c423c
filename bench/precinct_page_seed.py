"""Seed for bench/precinct_page.py: 14 markets of 150 stalls, scored, rated and published.

A 2025 round before the 2026 one (for the movers). Beside them, in the same
district, a street of 200 shops (not rated), and one member in twenty with a
public penalty, so the district ranking and the directory's flags have
something to count.

Run inside ``manage.py shell`` so it uses the configured database.
"""

import datetime
import decimal
import pathlib
import random

from django.db import connection

from merchants import credit_code
from merchants.audit import acting_as
from merchants.models import Association, Licence, Merchant, Penalty, Precinct
from ratings import computation
from ratings.definitions import Definition
from ratings.models import Round, Scheme, Score

rng = random.Random(10)
with acting_as(None, "bench"):
    district = Precinct.objects.create(slug="yuexiu", name_zh="越秀区", kind="district")
    area = Precinct.objects.create(
        slug="yide-road", name_zh="一德路海味干果市场群", kind="area", parent=district
    )
    chamber = Association.objects.create(slug="yide-road-chamber", name_zh="一德路商会")
    markets = [
        Precinct.objects.create(
            slug=f"market-{n}",
            name_zh=f"海味市场{n}",
            name_en=f"Market {n}",
            kind="market",
            parent=area,
        )
        for n in range(1, 15)
    ]
    merchants = []
    for m, market in enumerate(markets):
        for s in range(150):
            body = f"92440104{m:02d}{s:07d}"
            code = body + credit_code.check_character(body)
            floor, rest = divmod(s, 100)
            merchants.append(
                Merchant(
                    code=code,
                    name_zh=f"{rng.choice('泰金广德永新海昌')}{rng.choice('和记丰隆兴利')}海味{s}",
                    name_en=f"Stall {m}-{s}",
                    kind="stall",
                    category="dried_seafood",
                    stall=f"{'ABCD'[rest // 25]}-{floor + 1}-{rest % 25 + 1:03d}",
                    precinct=market,
                    association=chamber,
                )
            )
    street = Precinct.objects.create(
        slug="beijing-road", name_zh="北京路步行街", kind="street", parent=district
    )
    for s in range(200):
        body = f"91440104M{s:08d}"
        merchants.append(
            Merchant(
                code=body + credit_code.check_character(body),
                name_zh=f"{rng.choice('泰金广德永新海昌')}{rng.choice('和记丰隆兴利')}商行{s}",
                name_en=f"Shop {s}",
                kind="shop",
                category="tea",
                precinct=street,
            )
        )
    Merchant.objects.bulk_create(merchants, batch_size=1000)
    Penalty.objects.bulk_create(
        [
            Penalty(
                merchant=merchant,
                decision_number=f"BENCH-P-{n}",
                decided_on=datetime.date.today() - datetime.timedelta(days=30),
                authority="越秀区市场监督管理局",
                violation="未明码标价",
                penalty_types=["fine"],
                fine_amount=2000,
            )
            for n, merchant in enumerate(merchants[::20])
        ]
    )
    Licence.objects.bulk_create(
        [
            Licence(
                merchant=merchant,
                kind="business",
                number=f"JY{merchant.code}",
                issuer="越秀区市场监督管理局",
                issued_on=datetime.date(2022, 1, 1),
                expires_on=datetime.date(2028, 1, 1),
            )
            for merchant in merchants
        ],
        batch_size=1000,
    )
    text = pathlib.Path("samples/schemes/yide-road-2026.yaml").read_text()
    # The year before too, so the page's "moved up since last year" has members to find.
    for year in (2025, 2026):
        scheme, _created = Scheme.objects.load(
            Definition.from_text(text.replace("2026", str(year)))
        )
        Score.objects.bulk_create(
            [
                Score(
                    scheme=scheme,
                    merchant=merchant,
                    indicator=indicator.key,
                    points=(
                        indicator.maximum * decimal.Decimal(str(rng.uniform(0.6, 1.0)))
                    ).quantize(decimal.Decimal("1")),
                )
                for merchant in merchants
                if merchant.kind == "stall"
                for indicator in scheme.rules.entered_indicators
            ],
            batch_size=2000,
        )
        round_ = Round(scheme=scheme)
        round_.save()
        computation.run(round_)
        round_.refresh_from_db()
        round_.publish()
# As autovacuum would have by the time anyone opens the page: without statistics on
# the freshly loaded tables the planner expects one row and nests loops over thousands.
with connection.cursor() as cursor:
    cursor.execute("analyze")
print(f"seeded {len(merchants)} stalls in {len(markets)} markets; round {round_}")
