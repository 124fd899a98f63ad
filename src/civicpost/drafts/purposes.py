"""The seven reasons to engage (Council of Government Communication Officers)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    STAKEHOLDER_CONTACT = "stakeholder-contact", _("Direct contact with stakeholders")
    NEW_AUDIENCES = "new-audiences", _("Reaching new interest groups")
    TRENDS = "trends", _("Discovering emerging trends")
    CREATIVITY = "creativity", _("Improving creativity")
    OFFICIAL_INFORMATION = "official-information", _("Feeding in official information")
    EXPLAINING_POLICY = "explaining-policy", _("Creating support by explaining policy")
    WISDOM_OF_THE_CROWD = "wisdom-of-the-crowd", _("Using the wisdom of the crowd")
