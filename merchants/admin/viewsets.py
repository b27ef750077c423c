"""The one base ViewSet of our admin: Wagtail's ModelViewSet without delete, copy or usage."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.admin.viewsets.model import ModelViewSet


class NoDeleteViewSet(ModelViewSet):
    """Records here are withdrawn, revoked or moderated, never deleted.

    Wagtail builds a delete, copy and usage view for every model; the views in
    ``removed_views`` get neither a URL nor a button. Subclasses may remove
    more (reviews are never added in the admin).
    """

    removed_views = ("delete", "usage")
    #: Show every permission of the model, "view" and custom ones included, on
    #: Wagtail's group editor (its default shows add, change and delete).
    register_all_permissions = False

    # Imports save millions of rows; Wagtail's reference index would follow each save.
    add_to_reference_index = False
    copy_view_enabled = False
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for view_name in self.removed_views:
            view_kwargs[f"{view_name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in self.removed_views
        ]

    def get_permissions_to_register(self):
        if not self.register_all_permissions:
            return super().get_permissions_to_register()
        content_type = ContentType.objects.get_for_model(self.model)
        return Permission.objects.filter(content_type=content_type)
