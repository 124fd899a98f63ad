"""Translated names for the engine's vocabularies (levels, topics, domains, channel fits)."""

from django.utils.translation import gettext_lazy as _

LEVELS = {"suggestion": _("Suggestion"), "warning": _("Warning"), "error": _("Error")}

DOMAINS = {
    "person": _("person"),
    "function": _("function"),
    "department": _("department"),
    "organisation": _("organisation"),
}

FITS = {"good": _("good"), "possible": _("possible"), "poor": _("poor")}

TOPICS = {
    "party-politics": _("Party politics"),
    "tone": _("Tone"),
    "accuracy": _("Accuracy"),
    "own-field": _("Your own field"),
    "confidentiality": _("Confidentiality"),
    "personal-data": _("Personal data"),
    "due-process": _("Due process"),
    "mandate": _("Mandate"),
    "private-public": _("Private and public"),
    "account": _("Account"),
    "colleagues": _("Colleagues"),
    "channel": _("Channel"),
    "engagement": _("Engagement"),
    "archiving": _("Archiving"),
    "policy-phase": _("Policy phase"),
    "sensitive-period": _("Sensitive period"),
    "accessibility": _("Accessibility"),
    "plain-language": _("Plain language"),
}
