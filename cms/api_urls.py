"""The public JSON API, outside the language prefixes (it answers in the browser's language)."""

from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("merchants/<str:code>", api.merchant_json, name="merchant"),
    # Plain segments, checked by the view: a malformed one gets the API's JSON 404,
    # not the HTML page of an unmatched address.
    path("precincts/<str:slug>/ratings/<str:year>", api.precinct_ratings, name="precinct-ratings"),
    path("openapi.json", api.openapi_document, name="openapi"),
]
