"""Review URLs under the merchant page, in i18n_patterns (zh-Hans at /, English at /en/)."""

from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("m/<str:code>/review/", views.review, name="review"),
    path("m/<str:code>/review/thanks/", views.thanks, name="thanks"),
    path("m/<str:code>/reviews/<int:pk>/report/", views.report, name="report"),
    path("m/<str:code>/reviews/<int:pk>/report/done/", views.reported, name="reported"),
]
