from django.urls import path

from . import views

app_name = "cms"
urlpatterns = [
    path("m/<str:code>/", views.merchant, name="merchant"),
]
