from django.urls import path

from civicpost.web import views

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path("profile/", views.profile, name="profile"),
    path("consent/", views.consent, name="consent"),
    path("consent/grant/", views.consent_grant, name="consent-grant"),
    path("consent/ask/", views.consent_ask, name="consent-ask"),
    path("consent/<int:consent_id>/revoke/", views.consent_revoke, name="consent-revoke"),
    path("consent/requests/<int:request_id>/answer/", views.consent_answer, name="consent-answer"),
    path("healthz", views.healthz, name="healthz"),
]
