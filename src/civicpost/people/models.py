"""Organisations, their units, the people who work there, their accounts and consents."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicpost import channels


def channel_choices() -> list[tuple[str, str]]:
    return [(spec.id, channel_label(spec.id)) for spec in channels.all_channels()]


def channel_label(channel_id: str) -> str:
    # Proper names stay as they are; the generic ones are translated.
    generic = {"website": _("Website"), "press-release": _("Press release")}
    if channel_id in generic:
        return str(generic[channel_id])
    return channels.get(channel_id).name


class Organisation(models.Model):
    """A public body: a ministry, a municipality, an agency."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    decider = models.ForeignKey(
        "Person",
        verbose_name=_("deciding person"),
        help_text=_("Decides conflicts about posts unless a unit names its own (GCCO-3)."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A department or team; units form a tree inside one organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    decider = models.ForeignKey(
        "Person",
        verbose_name=_("deciding person"),
        help_text=_(
            "Decides conflicts for this unit; empty means the parent's or the organisation's."
        ),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="unit_unique_name_per_parent"
            )
        ]

    def __str__(self) -> str:
        return " / ".join(unit.name for unit in self.path())

    def path(self) -> list[Unit]:
        """This unit and its ancestors, root first."""
        chain: list[Unit] = []
        node: Unit | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("A parent unit must be in the same organisation.")})
        if self.pk and self.parent and self in self.parent.path():
            raise ValidationError({"parent": _("A unit cannot be inside itself.")})


class Person(models.Model):
    """A public servant, linked to the login they use."""

    class Role(models.TextChoices):
        POLICY_OFFICER = "policy-officer", _("Policy officer")
        COMMUNICATION_ADVISER = "communication-adviser", _("Communication adviser")
        SPOKESPERSON = "spokesperson", _("Spokesperson")
        MANAGER = "manager", _("Manager")
        ARCHIVIST = "archivist", _("Archivist")
        DIRECTOR = "director", _("Director")
        MINISTER = "minister", _("Minister")
        ADMINISTRATOR = "administrator", _("Administrator")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="person",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    display_name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=40, choices=Role.choices, default=Role.OTHER)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    dossiers = models.JSONField(
        _("dossiers"),
        default=list,
        blank=True,
        help_text=_("Your field of competence, one topic per entry."),
    )
    is_spokesperson = models.BooleanField(
        _("spokesperson"),
        default=False,
        help_text=_("May speak for the organisation (R-NL-06)."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.pk:
            raise ValidationError({"manager": _("A person cannot be their own manager.")})
        if self.unit_id and self.unit and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": _("The unit must belong to the person's organisation.")})


class Account(models.Model):
    """A presence on a channel, either the organisation's or one person's own (BL-B)."""

    class Kind(models.TextChoices):
        ORGANISATIONAL = "organisational", _("Organisational")
        PERSONAL = "personal", _("Personal")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="accounts",
    )
    channel = models.CharField(_("channel"), max_length=40, choices=channel_choices)
    handle = models.CharField(_("handle"), max_length=300)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        help_text=_("For organisational accounts: the unit that runs it."),
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_accounts",
        help_text=_("For personal accounts: the one person it belongs to."),
    )
    posters = models.ManyToManyField(
        Person,
        verbose_name=_("may post"),
        blank=True,
        related_name="postable_accounts",
        help_text=_("For organisational accounts: who may post with it."),
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["kind", "channel", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "handle"], name="account_unique_handle"),
            models.CheckConstraint(
                condition=(Q(kind="personal") & Q(owner__isnull=False))
                | (Q(kind="organisational") & Q(owner__isnull=True)),
                name="account_personal_has_exactly_one_owner",
                violation_error_message=_(
                    "A personal account belongs to exactly one person; "
                    "an organisational account to nobody in particular."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handle} ({channel_label(self.channel)}, {self.get_kind_display()})"

    @property
    def is_personal(self) -> bool:
        return self.kind == self.Kind.PERSONAL

    @property
    def channel_name(self) -> str:
        return channel_label(self.channel)

    def clean(self) -> None:
        if self.channel not in channels.ids():
            raise ValidationError({"channel": _("Unknown channel.")})
        if self.kind == self.Kind.PERSONAL and self.owner_id is None:
            raise ValidationError({"owner": _("A personal account needs its owner.")})
        if self.kind == self.Kind.ORGANISATIONAL and self.owner_id is not None:
            raise ValidationError(
                {"owner": _("An organisational account has no owner; list who may post instead.")}
            )


class Consent(models.Model):
    """Person A allows person B (or everyone in the organisation) to name or show them.

    Rows are never deleted: revoking stamps ``revoked_at``, granting again adds a new row, so
    the history of who allowed what, and when, stays readable (BL-C, R-NL-11).
    """

    subject = models.ForeignKey(
        Person,
        verbose_name=_("who allows"),
        on_delete=models.CASCADE,
        related_name="consents_given",
    )
    grantee = models.ForeignKey(
        Person,
        verbose_name=_("who may name them"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents_received",
        help_text=_("Empty means everyone in the organisation."),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "grantee"],
                condition=Q(revoked_at__isnull=True),
                name="consent_one_active_per_pair",
            ),
            models.UniqueConstraint(
                fields=["subject"],
                condition=Q(revoked_at__isnull=True, grantee__isnull=True),
                name="consent_one_active_for_everyone",
            ),
        ]

    def __str__(self) -> str:
        grantee = self.grantee or _("everyone")
        return f"{self.subject} → {grantee}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ConsentRequest(models.Model):
    """One colleague asking another: "may I name or show you?"."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, you may")
        ALWAYS = "always", _("Yes, always (everyone may)")
        NO = "no", _("No")

    requester = models.ForeignKey(
        Person, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="consent_asked"
    )
    subject = models.ForeignKey(
        Person, verbose_name=_("asked"), on_delete=models.CASCADE, related_name="consent_requests"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.requester} → {self.subject}"

    @property
    def is_open(self) -> bool:
        return not self.answer
