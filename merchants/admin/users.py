"""Staff accounts that the records name are deactivated, never deleted.

Audit entries, moderation decisions and print jobs keep who did them
(``on_delete=PROTECT``), so deleting such an account would fail in the
database with a server error. Wagtail asks the ``before_delete_user`` and
``before_bulk_action`` hooks first; these answer with a message that says why
and what to do instead, and nothing is deleted.
"""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages


def is_referred_to(user):
    """Whether records protect ``user`` from deletion (audit entries, decisions, print jobs)."""
    collector = Collector(using=router.db_for_write(type(user)))
    try:
        collector.collect([user])
    except (ProtectedError, RestrictedError):
        return True
    return False


def _refuse(request, users, back):
    names = ", ".join(user.get_username() for user in users)
    messages.error(
        request,
        _(
            "%(users)s cannot be deleted: the audit trail and other records name them. "
            "Deactivate the account instead (untick “active” on its page)."
        )
        % {"users": names},
    )
    return redirect(back)


def refuse_deleting_named_user(request, user):
    """``before_delete_user``: a response refusing the deletion, or None to let it go on."""
    if is_referred_to(user):
        return _refuse(request, [user], reverse("wagtailusers_users:edit", args=[quote(user.pk)]))
    return None


def refuse_deleting_named_users(request, action_type, objects, action):
    """``before_bulk_action``: the same for users deleted several at a time."""
    if action_type != "delete" or not objects:
        return None
    if not isinstance(objects[0], get_user_model()):
        return None
    named = [user for user in objects if is_referred_to(user)]
    if named:
        return _refuse(request, named, reverse("wagtailusers_users:index"))
    return None
