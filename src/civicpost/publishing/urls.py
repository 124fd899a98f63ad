from django.urls import path, re_path

from civicpost.publishing import views

app_name = "publishing"

urlpatterns = [
    path("drafts/<int:draft_id>/", views.publish, name="publish"),
    path("publications/<int:publication_id>/retry/", views.retry, name="retry"),
    path("publications/<int:publication_id>/decide/", views.decide, name="decide"),
    path("approvals/", views.approvals_page, name="approvals"),
    path("connections/", views.connections, name="connections"),
    path("feeds/accounts/<int:account_id>.xml", views.account_feed, name="account-feed"),
    path(
        "feeds/accounts/<int:account_id>.atom",
        views.account_feed,
        {"fmt": "atom"},
        name="account-feed-atom",
    ),
    path("feeds/units/<int:unit_id>.xml", views.unit_feed, name="unit-feed"),
    path("feeds/units/<int:unit_id>.atom", views.unit_feed, {"fmt": "atom"}, name="unit-feed-atom"),
    re_path(r"^site/(?P<path>.*)$", views.site, name="site"),
]
