"""Signals other apps listen to, so the archive never has to know about them."""

import contextlib
import contextvars
import functools

from django.db import transaction
from django.dispatch import Signal

#: Sent after any archive write that changes what the public may see of some
#: merchants. ``merchant_ids`` is a collection of Merchant primary keys;
#: ``former_codes`` (optional) lists credit codes a merchant no longer has.
archive_changed = Signal()

_after_commit_only = contextvars.ContextVar("announced_after_commit", default=False)


@contextlib.contextmanager
def announced_after_commit():
    """Within this block, ``announce_change`` only announces once the transaction commits.

    For one long transaction that may yet be rolled back (an import checking
    its file as it writes it): sending at once would drop cached pages for a
    change that may never happen. Pages rendered meanwhile by other requests
    read the committed rows, so nothing stale is kept by waiting.
    """
    token = _after_commit_only.set(True)
    try:
        yield
    finally:
        _after_commit_only.reset(token)


def announce_change(sender, merchant_ids, former_codes=()):
    """Send ``archive_changed`` now and again once the transaction commits.

    Now, so this process stops serving what it knows is stale; after the
    commit, so that a page another request rendered from the old rows in
    between is dropped too (only then, within ``announced_after_commit``).
    Receivers must be idempotent.
    """
    send = functools.partial(
        archive_changed.send,
        sender=sender,
        merchant_ids=list(merchant_ids),
        former_codes=list(former_codes),
    )
    if not _after_commit_only.get():
        send()
    transaction.on_commit(send)
