"""Helpers for tests of Wagtail admin listings and forms."""


def results(client, listing, params=None):
    """Just the results table of a listing, as the page swaps it in after a search."""
    response = client.get(listing + "results/", params or {})
    assert response.status_code == 200
    return response.content.decode()


def penalty_form(penalty, **changes):
    data = {
        "merchant": penalty.merchant_id,
        "decision_number": penalty.decision_number,
        "decided_on": penalty.decided_on.isoformat(),
        "authority": penalty.authority,
        "violation": penalty.violation,
        "penalty_types": list(penalty.penalty_types),
        "fine_amount": "" if penalty.fine_amount is None else str(penalty.fine_amount),
        "severity": penalty.severity,
        "outcome": penalty.outcome,
    }
    data.update(changes)
    return data


def record_form(record, fields, **changes):
    """The admin form of a licence, inspection or list entry as it stands, with ``changes``."""
    data = {}
    for name in fields:
        value = getattr(record, record._meta.get_field(name).attname)
        if value is None:
            value = ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = value
    data.update(changes)
    return data
