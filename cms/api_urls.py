"""The public JSON API, outside the language prefixes (it answers in the browser's language)."""

from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("merchants/<str:code>", api.merchant_json, name="merchant"),
    path("precincts/<slug:slug>/ratings/<int:year>", api.precinct_ratings, name="precinct-ratings"),
    path("openapi.json", api.openapi_document, name="openapi"),
]
