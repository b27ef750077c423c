"""A chooser given an id its model could never have answers 404, not a server error.

Wagtail's "chosen" views (merchants, images, documents, snippets) look the id
from the URL up as it is; a non-numeric id for a numeric key raises ValueError
(or ValidationError for UUIDs) deep in the database layer, a 500. The view does
nothing else but that lookup, so such an error there can only mean "no such
object". The middleware turns exactly that case into the admin's 404 and lets
every other error through.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.views.defaults import page_not_found
from wagtail.admin.views.generic.chooser import ChosenViewMixin


class MalformedChooserIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ValueError | ValidationError):
            return None
        match = request.resolver_match
        view_class = getattr(getattr(match, "func", None), "view_class", None)
        if view_class is None or not issubclass(view_class, ChosenViewMixin):
            return None
        return page_not_found(request, Http404("No object has this id."))
