from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("portal/sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("portal/invitation/<str:token>/", views.invitation, name="invitation"),
    path("portal/<str:code>/", views.business, name="business"),
    path("portal/<str:code>/timeline/", views.timeline, name="timeline"),
    path("portal/<str:code>/object/<str:kind>/<int:pk>/", views.object_to, name="object"),
    path("portal/<str:code>/repair/<int:pk>/", views.apply_for_repair, name="repair"),
    path("portal/<str:code>/objections/<int:pk>/", views.objection, name="objection"),
    path(
        "portal/<str:code>/repairs/<int:pk>/", views.repair_application, name="repair_application"
    ),
    path("portal/<str:code>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("portal/<str:code>/reviews/<int:pk>/reply/", views.reply, name="reply"),
]
