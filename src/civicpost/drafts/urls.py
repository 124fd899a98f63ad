from django.urls import path

from civicpost.drafts import views

app_name = "drafts"

urlpatterns = [
    path("", views.my_drafts, name="list"),
    path("new/", views.compose, name="compose"),
    path("<int:draft_id>/", views.compose, name="edit"),
    path("check/", views.live_check, name="check"),
]
