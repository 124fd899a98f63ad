from django.urls import path

from civicpost.archive import destruction_views, views

app_name = "archive"

urlpatterns = [
    path("", views.search_page, name="search"),
    # Remote ids are URIs (at://..., https://...): the path converter keeps their slashes.
    path("thread/<int:account_id>/<path:remote_id>/", views.thread_page, name="thread"),
    path("account/<int:account_id>/", views.account_page, name="account"),
    path("capture/<int:seq>/", views.capture_page, name="capture"),
    path("capture/<int:seq>/media/<int:position>/", views.media_file, name="media"),
    path("export/<str:fmt>/", views.export_download, name="export"),
    path("destruction/", destruction_views.destruction_page, name="destruction"),
]
