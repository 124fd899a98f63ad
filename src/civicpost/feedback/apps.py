from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "civicpost.feedback"
    verbose_name = _("Feedback, consent and decisions")

    def ready(self) -> None:
        from civicpost.feedback import reminders, signals  # noqa: F401 - connects the receivers
        from civicpost.periodic import periodic

        periodic("feedback-reminders")(reminders.send_reminders)
