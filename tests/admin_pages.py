"""Helpers for tests of Wagtail admin listings."""


def results(client, listing, params=None):
    """Just the results table of a listing, as the page swaps it in after a search."""
    response = client.get(listing + "results/", params or {})
    assert response.status_code == 200
    return response.content.decode()
