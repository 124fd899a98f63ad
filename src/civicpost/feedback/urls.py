from django.urls import path

from civicpost.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.index, name="index"),
    path("circles/", views.circle_list, name="circles"),
    path("circles/<int:circle_id>/", views.circle_detail, name="circle"),
    path("drafts/<int:draft_id>/", views.draft_feedback, name="draft"),
    path("drafts/<int:draft_id>/ask/", views.ask, name="ask"),
    path("drafts/<int:draft_id>/verdict/", views.verdict, name="verdict"),
    path("drafts/<int:draft_id>/comment/", views.comment, name="comment"),
    path("drafts/<int:draft_id>/conflict/", views.open_conflict, name="open-conflict"),
    path("conflicts/<int:conflict_id>/", views.conflict_detail, name="conflict"),
    path("conflicts/<int:conflict_id>/decide/", views.decide, name="decide"),
    path("conflicts/<int:conflict_id>/position/", views.position, name="position"),
    path("conflicts/<int:conflict_id>/share/", views.share, name="share"),
    path("consent/ask/", views.ask_consent, name="ask-consent"),
    path("purposes/", views.purpose_statistics, name="purposes"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:notification_id>/", views.notification_open, name="notification"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
