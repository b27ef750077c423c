"""Signals other apps listen to, so the archive never has to know about them."""

from django.dispatch import Signal

#: Sent after any archive write that changes what the public may see of some
#: merchants. ``merchant_ids`` is a collection of Merchant primary keys. Sent by
#: ``AuditedModel.save()`` and by bulk paths (imports, demo) once per batch.
archive_changed = Signal()
