from django.urls import path

from . import views

app_name = "cms"
urlpatterns = [
    path("m/<str:code>/", views.merchant, name="merchant"),
    path("m/<str:code>/rating/", views.merchant_rating, name="merchant_rating"),
]
