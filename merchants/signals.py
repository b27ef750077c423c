"""Signals other apps listen to, so the archive never has to know about them."""

import functools

from django.db import transaction
from django.dispatch import Signal

#: Sent after any archive write that changes what the public may see of some
#: merchants. ``merchant_ids`` is a collection of Merchant primary keys;
#: ``former_codes`` (optional) lists credit codes a merchant no longer has.
archive_changed = Signal()


def announce_change(sender, merchant_ids, former_codes=()):
    """Send ``archive_changed`` now and again once the transaction commits.

    Now, so this process stops serving what it knows is stale; after the
    commit, so that a page another request rendered from the old rows in
    between is dropped too. Receivers must be idempotent.
    """
    send = functools.partial(
        archive_changed.send,
        sender=sender,
        merchant_ids=list(merchant_ids),
        former_codes=list(former_codes),
    )
    send()
    transaction.on_commit(send)
