from django.urls import path

from civicpost.drafts import api

app_name = "api"

urlpatterns = [
    path("check", api.check, name="check"),
    path("openapi.json", api.schema, name="openapi"),
]
