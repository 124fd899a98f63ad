"""Connections to channels, publications (the outbox), approvals and what harvesting has seen.

A ``Publication`` is one draft sent to one account. Its idempotency key is unique and is passed
to the platform, so sending it again can never make a second post (see outbox.py).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.models import Draft
from civicpost.people.models import Account, Person


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class ChannelConnection(models.Model):
    """How civicpost reaches one account: the adapter's settings and its encrypted secrets.

    ``credentials_encrypted`` is a Fernet token (credentials.py); the plain secrets exist only in
    memory while an adapter runs. ``__str__`` and ``__repr__`` never show them.
    """

    class Status(models.TextChoices):
        NEEDS_CREDENTIALS = "needs-credentials", _("Needs credentials")
        OK = "ok", _("Connected")
        FAILED = "failed", _("Connection failed")

    account = models.OneToOneField(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="connection"
    )
    settings = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_("Non-secret settings: server URL, handle, output folder."),
    )
    credentials_encrypted = models.TextField(_("credentials (encrypted)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEEDS_CREDENTIALS
    )
    status_message = models.CharField(_("last check"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    harvested_at = models.DateTimeField(_("last harvest"), null=True, blank=True)
    harvest_message = models.CharField(_("last harvest result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("channel connection")
        verbose_name_plural = _("channel connections")
        ordering = ["account__channel", "account__handle"]

    def __str__(self) -> str:
        return f"{self.account.handle} ({self.get_status_display()})"

    def __repr__(self) -> str:
        return f"<ChannelConnection {self.account_id} {self.status}>"

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


class ApprovalPolicy(models.Model):
    """An organisation's optional approval step for one organisational account (off by default).

    Personal accounts never have one (GCCO-3: no prior consent is needed).
    """

    account = models.OneToOneField(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="approval_policy",
        limit_choices_to={"kind": Account.Kind.ORGANISATIONAL},
    )
    enabled = models.BooleanField(_("approval required"), default=False)
    expires_after_hours = models.PositiveIntegerField(
        _("approval valid for (hours)"),
        default=72,
        help_text=_("An approval older than this no longer counts."),
    )

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")

    def __str__(self) -> str:
        return str(self.account)

    def clean(self) -> None:
        if self.account_id and self.account.is_personal:
            raise ValidationError(
                {"account": _("Personal accounts never need approval (no prior consent).")}
            )


class ApprovalStep(models.Model):
    class Rule(models.TextChoices):
        ANY = "any", _("Any one of the approvers")
        ALL = "all", _("All of the approvers")

    policy = models.ForeignKey(
        ApprovalPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("step"), default=1)
    rule = models.CharField(_("rule"), max_length=3, choices=Rule.choices, default=Rule.ANY)
    approvers = models.ManyToManyField(Person, verbose_name=_("approvers"), related_name="+")

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="approval_step_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=3),
                name="approval_step_one_to_three",
                violation_error_message=_("An approval has one to three steps."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.get_rule_display()}"


class Publication(models.Model):
    """One draft on one account; the unit of exactly-once delivery."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        AWAITING_APPROVAL = "awaiting-approval", _("Awaiting approval")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.PROTECT, related_name="publications"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="publications"
    )
    requested_by = models.ForeignKey(
        Person, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=64,
        unique=True,
        default=new_idempotency_key,
        editable=False,
    )
    text = models.TextField(_("text as sent"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    # Set when a send may have reached the platform: the next attempt looks before it posts.
    outcome_unknown = models.BooleanField(_("outcome unknown"), default=False)
    last_error = models.TextField(_("platform message"), blank=True)
    remote_id = models.CharField(_("remote id"), max_length=300, blank=True)
    permalink = models.URLField(_("permalink"), max_length=1000, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Only for organisational accounts: [{rule, message, reason, by, at}] (ARC-07).
    overrides = models.JSONField(_("overrides"), default=list, blank=True)
    capture_seq = models.BigIntegerField(_("archive capture"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "account"], name="publication_once_per_account"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.account.handle}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state not in {self.State.PUBLISHED, self.State.FAILED}


class Approval(models.Model):
    """One approver's decision on one step of a publication's approval."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    step = models.PositiveSmallIntegerField(_("step"))
    approver = models.ForeignKey(
        Person, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    approved = models.BooleanField(_("approved"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["publication", "step", "decided_at"]

    def __str__(self) -> str:
        return f"{self.approver} ({self.step})"


class SeenPost(models.Model):
    """What harvesting (or publishing) last saw of one remote post, to capture only changes."""

    class Role(models.TextChoices):
        OWN = "own", _("Own post")
        RECEIVED = "received", _("Reply or mention")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=300)
    role = models.CharField(max_length=10, choices=Role.choices)
    text_sha256 = models.CharField(max_length=64)
    deleted = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "remote_id"], name="seen_post_unique")
        ]

    def __str__(self) -> str:
        return self.remote_id
