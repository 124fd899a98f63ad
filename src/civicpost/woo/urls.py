from django.urls import path

from civicpost.woo import views

app_name = "woo"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/captures/", views.select_captures, name="select"),
    path("<int:pk>/items/<int:item_id>/remove/", views.remove_item, name="remove-item"),
    path("<int:pk>/items/<int:item_id>/redactions/", views.add_redaction, name="add-redaction"),
    path("<int:pk>/redactions/<int:redaction_id>/", views.decide, name="decide"),
    path("<int:pk>/redactions/<int:redaction_id>/change/", views.change, name="change"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/release/", views.release, name="release"),
]
