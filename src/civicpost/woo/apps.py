from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WooConfig(AppConfig):
    name = "civicpost.woo"
    verbose_name = _("Woo requests")
