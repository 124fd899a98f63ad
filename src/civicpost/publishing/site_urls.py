"""The website folder at /site/: ``path("site/", include("civicpost.publishing.site_urls"))``
in the root URLconf. Without it the same folder is served under /publishing/site/."""

from django.urls import re_path

from civicpost.publishing import views

app_name = "site"

urlpatterns = [re_path(r"^(?P<path>.*)$", views.site, name="page")]
