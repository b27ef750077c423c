from django.urls import re_path

from . import views

app_name = "print_templates"
urlpatterns = [
    # /Q/ and upper-case tokens let the whole URL use the QR alphanumeric mode.
    re_path(r"^[qQ]/(?P<token>[^/]{1,64})/?$", views.scan, name="scan"),
]
