"""Who may do what in the staff admin: one policy for every model of ours.

Staff rights are ordinary Django model permissions. On top of them each model
states the actions anyone may ever be granted, superusers included: the
archive is never deleted from, the audit trail and counterfeit counts are only
read, placards are only revoked. The admin then never offers the rest, and the
models refuse them anyway.
"""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from wagtail.admin.admin_url_finder import AdminURLFinder, finder_classes
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

#: What staff may do to archive records: everything but delete.
ARCHIVE_ACTIONS = ("view", "add", "change")


class ActionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, limited to ``actions``.

    ``codenames`` maps an action to the permission that grants it where the
    words differ (moderating a review is its "change").
    """

    def __init__(self, model, actions, codenames=None, **kwargs):
        super().__init__(model, **kwargs)
        self.actions = frozenset(actions)
        self.codenames = dict(codenames or {})

    def _get_permission_codename(self, action):
        return super()._get_permission_codename(self.codenames.get(action, action))

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action in self.actions]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


def restrict(model, actions, codenames=None):
    """Register ``model``'s policy; call it from wagtail_hooks before any viewset is built."""
    policy = ActionPermissionPolicy(model, actions, codenames)
    register_permission_policy(model, policy)
    return policy


def user_may(user, model, action):
    """What a view asks before it acts: may ``user`` do ``action`` on ``model``?"""
    return policy_registry.get_by_type(model).user_has_permission(user, action)


def admin_url(user, obj):
    """Where ``user`` may open ``obj``: its edit page, else its inspect page, else None.

    Wagtail's URL finder only knows edit pages; staff who may only look are
    sent to the inspect page of the same viewset when it has one.
    """
    finder = AdminURLFinder(user)
    if url := finder.get_edit_url(obj):
        return url
    model_finder = finder_classes.get(obj)
    edit_url_name = getattr(model_finder, "edit_url_name", None) if model_finder else None
    policy = policy_registry.get(obj)
    if not edit_url_name or policy is None or not policy.user_has_permission(user, "view"):
        return None
    try:
        return reverse(edit_url_name.rsplit(":", 1)[0] + ":inspect", args=(quote(obj.pk),))
    except NoReverseMatch:
        return None
