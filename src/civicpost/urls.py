"""URL map: the UI, the API and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("civicpost.drafts.api_urls")),
    path("drafts/", include("civicpost.drafts.urls")),
    path("archive/", include("civicpost.archive.urls")),
    path("woo/", include("civicpost.woo.urls")),
    path("publishing/", include("civicpost.publishing.urls")),
    path("site/", include("civicpost.publishing.site_urls")),
    path("feedback/", include("civicpost.feedback.urls")),
    path("", include("civicpost.web.urls")),
]
