"""Notifications in the app and by e-mail, as each person chose, in their own language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from civicpost.feedback import notifications, reminders, services
from civicpost.feedback.models import FeedbackRequest, Notification

pytestmark = pytest.mark.django_db


def test_text_is_in_the_recipients_language(ministry, personal_draft) -> None:
    # Hanna prefers English, Bram Dutch; the strings below come from the merged catalogue.
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["hanna"], ministry["bram"]])
    hanna = Notification.objects.get(recipient=ministry["hanna"])
    assert notifications.render(hanna) == "Anna de Vries asks for your feedback on a draft."
    bram = Notification.objects.get(recipient=ministry["bram"])
    assert notifications.render(bram) == "Anna de Vries vraagt je feedback op een concept."


def test_rendering_switches_to_the_recipients_language(ministry, monkeypatch) -> None:
    # A sentence already in the catalogue shows the switch independently of this app's strings.
    from django.utils.translation import gettext_lazy

    sentence = gettext_lazy("Your draft has been saved. Only you can see it.")
    kind = notifications.Kind(sentence, sentence)
    monkeypatch.setitem(notifications.KINDS, "feedback-asked", kind)
    for username, expected in (("hanna", "Your draft"), ("bram", "Je concept")):
        item = notifications.notify(ministry[username], "feedback-asked")
        assert item is not None
        assert notifications.render(item).startswith(expected), username


def test_email_only_for_kinds_the_person_opted_into(ministry, personal_draft, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    hanna, bram = ministry["hanna"], ministry["bram"]
    notifications.save_preferences(hanna, {"feedback-asked": (True, True)})
    services.ask_feedback(ministry["anna"], personal_draft, [hanna, bram])
    assert [m.to for m in mail.outbox] == [[hanna.user.email]]
    [message] = mail.outbox
    assert message.subject == "A colleague asks for your feedback"  # Hanna reads English
    assert f"/feedback/drafts/{personal_draft.pk}/" in message.body


def test_a_kind_switched_off_in_the_app_is_not_shown(ministry, personal_draft) -> None:
    bram = ministry["bram"]
    notifications.save_preferences(bram, {"feedback-asked": (False, False)})
    services.ask_feedback(ministry["anna"], personal_draft, [bram])
    assert notifications.unread_count(bram) == 0


def test_unread_count_in_the_navigation_and_marking_read(ministry, login, personal_draft) -> None:
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    client = login("bram")
    page = client.get("/").content.decode()
    assert 'data-testid="unread-count">1<' in page
    item = Notification.objects.get(recipient=ministry["bram"])
    response = client.post(f"/feedback/notifications/{item.pk}/")
    assert response["Location"] == f"/feedback/drafts/{personal_draft.pk}/"
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_nobody_opens_someone_elses_notification(ministry, login, personal_draft) -> None:
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    item = Notification.objects.get(recipient=ministry["bram"])
    assert login("carla").post(f"/feedback/notifications/{item.pk}/").status_code == 404


def test_preferences_page_saves_choices(ministry, login) -> None:
    client = login("bram")
    assert client.get("/feedback/notifications/preferences/").status_code == 200
    client.post(
        "/feedback/notifications/preferences/",
        {"conflict-decided__app": "on", "conflict-decided__email": "on"},
    )
    chosen = notifications.preference(ministry["bram"], "conflict-decided")
    assert chosen.in_app and chosen.email
    assert not notifications.preference(ministry["bram"], "feedback-asked").in_app


def test_reminder_after_the_configured_time(ministry, personal_draft, settings) -> None:
    settings.CIVICPOST_FEEDBACK_REMINDER_HOURS = 24
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"], ministry["carla"]])
    assert reminders.send_reminders() == 0  # not yet
    FeedbackRequest.objects.filter(reviewer=ministry["carla"]).update(
        asked_at=timezone.now() - dt.timedelta(hours=25)
    )
    call_command("send_feedback_reminders")
    assert ministry["carla"].notifications.filter(kind="feedback-reminder").count() == 1
    assert not ministry["bram"].notifications.filter(kind="feedback-reminder").exists()
    assert reminders.send_reminders() == 0  # once per period


def test_no_reminder_once_answered(ministry, personal_draft, settings) -> None:
    settings.CIVICPOST_FEEDBACK_REMINDER_HOURS = 1
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    services.give_feedback(ministry["bram"], personal_draft, "fine", "")
    FeedbackRequest.objects.update(asked_at=timezone.now() - dt.timedelta(hours=5))
    assert reminders.send_reminders() == 0


def test_reminder_time_can_come_from_the_environment(monkeypatch, settings) -> None:
    if hasattr(settings, "CIVICPOST_FEEDBACK_REMINDER_HOURS"):
        del settings.CIVICPOST_FEEDBACK_REMINDER_HOURS
    monkeypatch.setenv("CIVICPOST_FEEDBACK_REMINDER_HOURS", "6")
    assert reminders.reminder_after() == dt.timedelta(hours=6)
    monkeypatch.setenv("CIVICPOST_FEEDBACK_REMINDER_HOURS", "nonsense")
    assert reminders.reminder_after() == dt.timedelta(hours=48)


def test_the_workers_periodic_tick_sends_due_reminders(ministry, personal_draft, settings) -> None:
    """No cron needed: the task worker's tick runs the reminders with the other periodic jobs."""
    from civicpost.publishing import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CIVICPOST_FEEDBACK_REMINDER_HOURS = 24
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["carla"]])
    FeedbackRequest.objects.update(asked_at=timezone.now() - dt.timedelta(hours=25))

    summary = tasks.tick.call()

    assert "feedback-reminders: 1" in summary
    assert ministry["carla"].notifications.filter(kind="feedback-reminder").count() == 1
