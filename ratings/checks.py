"""System checks for the review settings: a typo should stop deployment, not weaken a limit."""

import re

from django.conf import settings
from django.core.checks import Error, register

RATE = re.compile(r"^[1-9]\d*/\d*[smhd]$")
LIMITS = ("ip", "device", "merchant_burst", "report_ip")


@register()
def check_review_settings(app_configs, **kwargs):
    errors = []
    rates = getattr(settings, "REVIEW_RATES", {})
    for name in LIMITS:
        given = rates.get(name)
        if not given:
            errors.append(
                Error(f"REVIEW_RATES['{name}'] needs at least one rate.", id="ratings.E001")
            )
            continue
        for rate in given:
            if not RATE.match(str(rate)):
                errors.append(
                    Error(
                        f"REVIEW_RATES['{name}'] has {rate!r}; "
                        "write rates like '10/10m' or '60/d'.",
                        id="ratings.E002",
                    )
                )
    if settings.REVIEW_HASH_RETENTION_DAYS < settings.REVIEW_ONE_PER_DEVICE_DAYS:
        errors.append(
            Error(
                "REVIEW_HASH_RETENTION_DAYS is shorter than REVIEW_ONE_PER_DEVICE_DAYS: "
                "device hashes would be erased before the one-review rule is done with them.",
                id="ratings.E003",
            )
        )
    return errors
