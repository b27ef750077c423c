"""Proof of presence: a review needs a recent scan of one of the merchant's genuine placards.

The scan itself is remembered by ``print_templates.scans`` in a signed,
expiring cookie set at ``/q/<token>``; this module only asks it, so the rule
"scanned within the last two hours" (``PLACARD_SCAN_MAX_AGE``) has one home.
Without a scan cookie for the merchant the answer costs no query.
"""

from django.conf import settings

from print_templates import scans


def scan_for(request, merchant):
    """The visitor's still-valid scan of a genuine placard of ``merchant`` (or code), or None."""
    return scans.verified_scan(request, merchant)


def crowd_threshold(precinct):
    """Distinct networks per hour above which a placard in ``precinct`` looks shared online.

    ``REVIEW_HOLD_SCAN_NETWORKS`` maps precinct slugs to what is normal there
    (a holiday street sees more visitors than a wholesale market); a precinct
    not named takes its nearest named parent's figure, then ``"default"``.
    """
    thresholds = settings.REVIEW_HOLD_SCAN_NETWORKS
    while precinct is not None:
        if precinct.slug in thresholds:
            return thresholds[precinct.slug]
        precinct = precinct.parent
    return thresholds["default"]


def is_crowded(scan, merchant):
    """Whether the scanned placard is being scanned from far more networks than is normal.

    A photographed placard posted online is "scanned" from everywhere; its
    reviews are then held for moderation rather than refused, since a busy
    day at a real shop looks the same from here.
    """
    return scans.networks_per_hour(scan.placard) > crowd_threshold(merchant.precinct)
