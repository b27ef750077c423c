from django.urls import path

from . import views

app_name = "merchants"
urlpatterns = [
    path("api/v1/merchants/<str:code>", views.merchant_json, name="api-merchant"),
]
