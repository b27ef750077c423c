"""Who may do what to the credit archive in the staff admin.

Staff rights are ordinary Django model permissions (view, add, change). Delete is
refused to everybody, superusers included: records are withdrawn or corrected, and
the models would refuse the delete anyway, so the admin must never offer it.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class ArchivePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, minus the actions the archive never allows."""

    refused_actions = frozenset({"delete"})

    def user_has_permission(self, user, action):
        if action in self.refused_actions:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.refused_actions]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


class ReadOnlyPermissionPolicy(ArchivePermissionPolicy):
    """View only: the audit trail is written by the models, never by hand."""

    refused_actions = frozenset({"add", "change", "delete"})
