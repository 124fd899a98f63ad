"""Feedback circles, feedback on drafts, conflicts with their decisions, and notifications.

Privacy by design (P-01, P-05): nothing here stores a score per person. Feedback on a
personal-account draft is readable only by its author and the people the author asked; the
rules for who sees what live in ``access.py``, not in views.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.models import Draft
from civicpost.people.models import Organisation, Person


class Circle(models.Model):
    """Colleagues who subscribe to a statement of principles and promise each other feedback."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    started_by = models.ForeignKey(
        Person, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback circle")
        verbose_name_plural = _("feedback circles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Joining a circle records when, and which version of the principles was agreed to."""

    circle = models.ForeignKey(
        Circle, verbose_name=_("circle"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    principles_version = models.CharField(_("version of the principles"), max_length=20)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person"],
                condition=Q(left_at__isnull=True),
                name="feedback_one_active_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ∈ {self.circle}"


class Verdict(models.TextChoices):
    FINE = "fine", _("Fine")
    CONSIDER = "consider", _("Consider this")
    PLEASE_DONT = "please-dont", _("Please don't")


class FeedbackRequest(models.Model):
    """The author asking one colleague for feedback on a draft; the answer lives here too."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="feedback_requests"
    )
    reviewer = models.ForeignKey(
        Person, verbose_name=_("asked"), on_delete=models.CASCADE, related_name="+"
    )
    circle = models.ForeignKey(
        Circle,
        verbose_name=_("circle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    summary = models.TextField(_("in your own words"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        ordering = ["asked_at"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "reviewer"], name="feedback_ask_once")
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} → {self.reviewer}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Comment(models.Model):
    """A remark anchored to a span of the draft's text, like a review comment."""

    request = models.ForeignKey(
        FeedbackRequest,
        verbose_name=_("feedback"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    quote = models.TextField(_("passage"), max_length=2000)
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["start", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.TextChoices):
    KEEP = "keep", _("Keep")
    AMEND = "amend", _("Amend")
    REMOVE = "remove", _("Remove")


class Conflict(models.Model):
    """A disagreement about a post, taken to the deciding person (GCCO-3)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    class Removal(models.TextChoices):
        NONE = "", _("Not applicable")
        PENDING = "pending", _("Removal from the channel pending")
        DONE = "done", _("Removed from the channel")

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="conflicts"
    )
    opened_by = models.ForeignKey(
        Person, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=4000)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    decider = models.ForeignKey(
        Person, verbose_name=_("deciding person"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    shared_findings = models.JSONField(_("findings the author shared"), default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    reasoning = models.TextField(_("reasoning"), max_length=8000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    removal = models.CharField(
        _("removal"), max_length=10, choices=Removal.choices, default="", blank=True
    )

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"#{self.pk}: {self.reason[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Position(models.Model):
    """What one involved person says about the conflict (the author's response among them)."""

    conflict = models.ForeignKey(
        Conflict, verbose_name=_("conflict"), on_delete=models.CASCADE, related_name="positions"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("position"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ConflictEvent(models.Model):
    """The audit trail: every state change of a conflict, who, when, what and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Conflict opened")
        POSITION = "position", _("Position added")
        SHARED = "shared", _("Findings shared")
        AMENDED = "amended", _("Draft amended")
        DECIDED = "decided", _("Decision taken")
        ARCHIVED = "archived", _("Decision archived")
        REMOVAL_PENDING = "removal-pending", _("Removal from the channel pending")
        REMOVED = "removed", _("Removed from the channel")

    conflict = models.ForeignKey(
        Conflict, verbose_name=_("conflict"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        Person, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    note = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("conflict event")
        verbose_name_plural = _("conflict events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.Model):
    """A message for one person; its text is rendered in their language when shown or sent."""

    recipient = models.ForeignKey(
        Person,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("text parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind}"


class NotificationPreference(models.Model):
    """Per person and kind: whether to show it in the app and whether to e-mail it."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="feedback_one_pref_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind}"
