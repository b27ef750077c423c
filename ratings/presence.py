"""Proof of presence: a review needs a recent scan of one of the merchant's genuine placards.

The scan itself is remembered by ``print_templates.scans`` in a signed,
expiring cookie set at ``/q/<token>``; this module only asks it, so the rule
"scanned within the last two hours" (``PLACARD_SCAN_MAX_AGE``) has one home.
Without a scan cookie for the merchant the answer costs no query.
"""

from print_templates import scans


def scan_for(request, merchant):
    """The visitor's still-valid scan of a genuine placard of ``merchant`` (or code), or None."""
    return scans.verified_scan(request, merchant)
