"""The glossary: English for the values the archive stores, kept by staff in the admin.

A merchant page looks up dozens of values (each record's authority and kind),
so the glossary is read whole, once: from the shared cache, or in one query on
a miss. Saving a term drops the cached copy (``GlossaryTerm.save``) and the
pages built with it (``cms.signals``).

``SEED_TERMS`` is the English for every authority, specialty and controlled
term the demo (``demo_data``) and the sample files (``samples/``) contain;
``GlossaryTerm.objects.seed()`` adds the missing ones and never overwrites a
term staff have edited.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

KEY = "glossary:v1"
#: A day at most; any save drops it at once.
CACHED_SECONDS = 24 * 3600


class Glossary:
    """Look values up: ``english(vocabulary, value)`` is the English, or "" if none is kept."""

    def __init__(self, rows=()):
        self.terms = {(vocabulary, source): english for vocabulary, source, english in rows}

    def english(self, vocabulary, value):
        return self.terms.get((str(vocabulary), str(value)), "")


def current():
    """The glossary as staff keep it now: no query while the shared cache holds it."""
    from .models import GlossaryTerm

    try:
        terms = cache.get(KEY)
    except RedisError:
        log.warning("glossary cache unavailable; reading the glossary from the database")
        return GlossaryTerm.objects.as_glossary()
    if terms is not None:
        glossary = Glossary()
        glossary.terms = terms
        return glossary
    glossary = GlossaryTerm.objects.as_glossary()
    try:
        cache.set(KEY, glossary.terms, CACHED_SECONDS)
    except RedisError:
        log.warning("glossary cache unavailable; glossary not kept")
    return glossary


def _drop():
    try:
        cache.delete(KEY)
    except RedisError:
        log.error("glossary cache unavailable; pages may use old English for a day")


def forget():
    """After a term changed: drop the cached glossary now and once the change is committed."""
    _drop()
    transaction.on_commit(_drop)


AUTHORITY, SPECIALTY = "authority", "specialty"
MARKET_BUREAU = "Yuexiu District Market Regulation Bureau"
YIDE_CHAMBER = "Yide Road Dried Seafood and Dry Goods Chamber of Commerce"

SEED_TERMS = (
    # Authorities, issuers and listing bodies in the demo and the samples.
    (AUTHORITY, "广州市越秀区市场监督管理局", f"{MARKET_BUREAU}, Guangzhou"),
    (AUTHORITY, "越秀区市场监督管理局", MARKET_BUREAU),
    (AUTHORITY, "广州市越秀区卫生健康局", "Yuexiu District Health Bureau, Guangzhou"),
    (AUTHORITY, "广州市越秀区民政局", "Yuexiu District Civil Affairs Bureau, Guangzhou"),
    (AUTHORITY, "国家税务总局广州市越秀区税务局", "Yuexiu District Tax Bureau, Guangzhou"),
    (AUTHORITY, "一德路海味干果商会", YIDE_CHAMBER),
    (AUTHORITY, "广州市一德路海味干果商会", YIDE_CHAMBER),
    (AUTHORITY, "北京路商会", "Beijing Road Chamber of Commerce"),
    # Licensed clinic specialties (诊疗科目).
    (SPECIALTY, "医疗美容科", "cosmetic medicine"),
    (SPECIALTY, "美容外科", "cosmetic surgery"),
    (SPECIALTY, "美容皮肤科", "cosmetic dermatology"),
    (SPECIALTY, "美容牙科", "cosmetic dentistry"),
    (SPECIALTY, "麻醉科", "anaesthesiology"),
    (SPECIALTY, "口腔科", "dentistry"),
    (SPECIALTY, "口腔颌面外科", "oral and maxillofacial surgery"),
    (SPECIALTY, "正畸专业", "orthodontics"),
    (SPECIALTY, "口腔修复专业", "prosthodontics"),
    (SPECIALTY, "眼科", "ophthalmology"),
    (SPECIALTY, "视光专业", "optometry"),
    (SPECIALTY, "医学检验科", "clinical laboratory"),
    (SPECIALTY, "内科", "internal medicine"),
    (SPECIALTY, "外科", "surgery"),
    (SPECIALTY, "妇科", "gynaecology"),
    (SPECIALTY, "中医科", "traditional Chinese medicine"),
    (SPECIALTY, "医学影像科", "medical imaging"),
    # Controlled vocabularies: plain words a tourist understands.
    ("licence_kind", "business", "business licence"),
    ("licence_kind", "food_business", "food business licence"),
    ("licence_kind", "medical_practice", "medical practising licence"),
    ("licence_kind", "drug_retail", "pharmacy licence"),
    ("licence_kind", "other", "other licence"),
    ("inspection_kind", "routine", "routine inspection"),
    ("inspection_kind", "random", "random spot check"),
    ("inspection_kind", "complaint", "inspection after a complaint"),
    ("inspection_kind", "follow_up", "follow-up inspection"),
    ("inspection_result", "pass", "passed"),
    ("inspection_result", "rectify", "must fix problems"),
    ("inspection_result", "fail", "failed"),
    ("penalty_type", "warning", "warning"),
    ("penalty_type", "fine", "fine"),
    ("penalty_type", "confiscation", "illegal gains confiscated"),
    ("penalty_type", "suspension", "ordered to close temporarily"),
    ("penalty_type", "revocation", "licence revoked"),
    ("list_name", "a_taxpayer", "top-rated taxpayer (grade A)"),
    ("list_name", "model_member", "model member of its trade association"),
    ("list_name", "serious_dishonesty", "serious dishonesty list"),
    ("list_name", "abnormal_operation", "flagged for abnormal operation"),
    ("list_name", "exposure_board", "public warning list"),
)  # fmt: skip
