"""Woo requests (Wet open overheid): what was asked, which captures answer it, what is blacked
out on which ground, and every step taken. The archived originals are never changed."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicpost.archive.models import Capture
from civicpost.people.models import Person

DECISION_WEEKS = 4  # Woo art. 4.4 lid 1
EXTENSION_WEEKS = 2  # Woo art. 4.4 lid 2


def deadline_for(received_on: dt.date, extended: bool) -> dt.date:
    """Four weeks after receipt, two more when the term was extended (Woo art. 4.4)."""
    weeks = DECISION_WEEKS + (EXTENSION_WEEKS if extended else 0)
    return received_on + dt.timedelta(weeks=weeks)


class Ground(models.TextChoices):
    """Grounds for withholding information (Woo art. 5.1 and 5.2); the value is the short code."""

    ART_5_1_1A = "5.1.1a", _("Woo art. 5.1 lid 1 sub a: unity of the Crown")
    ART_5_1_1B = "5.1.1b", _("Woo art. 5.1 lid 1 sub b: security of the State")
    ART_5_1_1C = (
        "5.1.1c",
        _("Woo art. 5.1 lid 1 sub c: company data given to the government in confidence"),
    )
    ART_5_1_1D = "5.1.1d", _("Woo art. 5.1 lid 1 sub d: special categories of personal data")
    ART_5_1_1E = "5.1.1e", _("Woo art. 5.1 lid 1 sub e: national identification numbers")
    ART_5_1_2A = "5.1.2a", _("Woo art. 5.1 lid 2 sub a: international relations")
    ART_5_1_2B = "5.1.2b", _("Woo art. 5.1 lid 2 sub b: economic or financial interests")
    ART_5_1_2C = "5.1.2c", _("Woo art. 5.1 lid 2 sub c: investigation and prosecution of offences")
    ART_5_1_2D = "5.1.2d", _("Woo art. 5.1 lid 2 sub d: inspection, control and supervision")
    ART_5_1_2E = "5.1.2e", _("Woo art. 5.1 lid 2 sub e: respect for personal privacy")
    ART_5_1_2F = "5.1.2f", _("Woo art. 5.1 lid 2 sub f: competitively sensitive company data")
    ART_5_1_2H = "5.1.2h", _("Woo art. 5.1 lid 2 sub h: security of persons and companies")
    ART_5_1_2I = "5.1.2i", _("Woo art. 5.1 lid 2 sub i: proper functioning of the State")
    ART_5_2 = "5.2", _("Woo art. 5.2: personal policy views in internal consultation")


class WooRequest(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        COLLECTING = "collecting", _("Collecting records")
        REVIEWING = "reviewing", _("Reviewing redactions")
        RELEASED = "released", _("Released")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference number"), max_length=100, unique=True)
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_contact = models.CharField(_("requester's contact details"), max_length=300)
    received_on = models.DateField(_("received on"))
    subject = models.TextField(_("subject"))
    extended = models.BooleanField(_("term extended"), default=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    handled_by = models.ForeignKey(
        Person,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="woo_requests",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Woo request")
        verbose_name_plural = _("Woo requests")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def deadline(self) -> dt.date:
        return deadline_for(self.received_on, self.extended)

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RELEASED, self.Status.CLOSED)


class WooCapture(models.Model):
    """A capture selected as a record that answers the request."""

    request = models.ForeignKey(WooRequest, on_delete=models.CASCADE, related_name="items")
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("selected capture")
        verbose_name_plural = _("selected captures")
        ordering = ["capture__seq"]
        constraints = [
            models.UniqueConstraint(fields=["request", "capture"], name="woo_capture_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: #{self.capture_id}"


class Redaction(models.Model):
    """A span of a selected capture's text (or its author) to black out, with its ground."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class Field(models.TextChoices):
        TEXT = "text", _("Text")
        AUTHOR = "author", _("Author")

    item = models.ForeignKey(WooCapture, on_delete=models.CASCADE, related_name="redactions")
    field = models.CharField(_("field"), max_length=10, choices=Field.choices, default=Field.TEXT)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    category = models.CharField(_("category"), max_length=40)
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    automatic = models.BooleanField(_("proposed automatically"), default=False)
    decided_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["item", "field", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.field}[{self.start}:{self.end}] {self.ground}"


class WooEvent(models.Model):
    """The audit trail of a request: who did what, when."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CAPTURE_ADDED = "capture-added", _("Capture added")
        CAPTURE_REMOVED = "capture-removed", _("Capture removed")
        REDACTION_PROPOSED = "redaction-proposed", _("Redaction proposed")
        REDACTION_ACCEPTED = "redaction-accepted", _("Redaction accepted")
        REDACTION_REJECTED = "redaction-rejected", _("Redaction rejected")
        REDACTION_CHANGED = "redaction-changed", _("Redaction changed")
        REDACTION_ADDED = "redaction-added", _("Redaction added")
        EXTENDED = "extended", _("Term extended")
        STATUS = "status", _("Status changed")
        RELEASED = "released", _("Released")

    request = models.ForeignKey(WooRequest, on_delete=models.CASCADE, related_name="events")
    who = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("what"), max_length=30, choices=Action.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("Woo event")
        verbose_name_plural = _("Woo events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
