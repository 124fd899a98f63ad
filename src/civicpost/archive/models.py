"""The archive: captures in an append-only hash chain, their content, media and retention.

A capture row (``Capture``) is never updated or deleted; database triggers refuse both. Its
content (``CaptureContent``) and media links can be removed only by a recorded destruction
decision (``Destruction``), which is itself a capture in the chain, so verification still passes
after a lawful destruction and fails after any other change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicpost.people.models import Account, Person


class CaptureKind(models.TextChoices):
    POST = "post", _("Post published")
    VERSION = "version", _("Version after an edit")
    DELETION = "deletion", _("Deleted on the platform")
    REPLY = "reply", _("Reply received")
    MENTION = "mention", _("Mention received")
    MODERATION = "moderation", _("Moderation action")
    DESTRUCTION = "destruction", _("Destroyed by decision")
    DECISION = "decision", _("Decision on a conflict")


class Provenance(models.TextChoices):
    PUBLISH = "publish", _("Captured at publication")
    HARVEST = "harvest", _("Harvested from the platform")
    IMPORT = "import", _("Imported from a platform export")
    DECISION = "decision", _("Recorded decision")


class ChainHead(models.Model):
    """The last link of the chain; locking this row serialises appends."""

    seq = models.BigIntegerField(default=0)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.chain_hash[:12]}"


class Capture(models.Model):
    """One thing that happened on an organisational account. Immutable."""

    seq = models.BigIntegerField(_("sequence number"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaptureKind.choices)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="captures"
    )
    channel = models.CharField(_("channel"), max_length=40)
    remote_id = models.CharField(_("remote id"), max_length=500, blank=True)
    captured_at = models.DateTimeField(_("captured at"))
    provenance = models.CharField(_("provenance"), max_length=20, choices=Provenance.choices)
    content_hash = models.CharField(_("content hash"), max_length=64)
    # The content without when and how it was captured: the same post seen twice has the same
    # fingerprint, so harvests and re-imports add nothing twice.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    chain_hash = models.CharField(_("chain hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("capture")
        verbose_name_plural = _("captures")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["account", "remote_id"]),
            models.Index(fields=["channel", "remote_id"]),
            models.Index(fields=["captured_at"]),
            # "Deleted on the platform?" is asked for every search result.
            models.Index(fields=["kind", "account", "remote_id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.remote_id}"


class CaptureContent(models.Model):
    """What a capture holds. ``content`` is the canonical JSON the content hash is taken over;
    the other columns are copies of its fields for search and filters."""

    capture = models.OneToOneField(
        Capture, primary_key=True, on_delete=models.PROTECT, related_name="content"
    )
    content = models.TextField(_("canonical content"))
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    author_handle = models.CharField(_("author"), max_length=300, blank=True)
    permalink = models.URLField(_("permalink"), max_length=1000, blank=True)
    in_reply_to = models.CharField(_("in reply to"), max_length=500, blank=True)
    # When it was posted; for tombstones and decisions, when they were captured.
    created_at = models.DateTimeField(_("created at"), null=True, blank=True)
    has_media = models.BooleanField(_("has media"), default=False)

    class Meta:
        verbose_name = _("capture content")
        verbose_name_plural = _("capture contents")
        indexes = [
            models.Index(fields=["in_reply_to"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class MediaFile(models.Model):
    """Original media bytes, stored once under their SHA-256 (content-addressed)."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField(_("size in bytes"))
    mime_type = models.CharField(_("MIME type"), max_length=100)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")

    def __str__(self) -> str:
        return self.sha256


class CaptureMedia(models.Model):
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="media_links")
    media = models.ForeignKey(MediaFile, on_delete=models.PROTECT, related_name="links")
    position = models.PositiveSmallIntegerField()
    alt_text = models.TextField(_("alt text"), blank=True)

    class Meta:
        verbose_name = _("capture media")
        ordering = ["capture", "position"]
        constraints = [
            models.UniqueConstraint(fields=["capture", "position"], name="capture_media_position")
        ]

    def __str__(self) -> str:
        return f"{self.capture_id}/{self.position}: {self.media_id}"


class DailyRoot(models.Model):
    """The Merkle root over a day's chain hashes, for a third party to hold (ARC-08)."""

    day = models.DateField(_("day"), unique=True)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    count = models.PositiveIntegerField()
    root = models.CharField(_("Merkle root"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily root")
        verbose_name_plural = _("daily roots")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.root}"


class RetentionRule(models.Model):
    """Keep permanently or destroy after N years, per account and kind (selectielijst)."""

    class Action(models.TextChoices):
        KEEP = "keep", _("Keep permanently")
        DESTROY = "destroy", _("Destroy after the retention period")

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: all organisational accounts."),
    )
    kind = models.CharField(
        _("kind of capture"),
        max_length=20,
        choices=CaptureKind.choices,
        blank=True,
        help_text=_("Empty: every kind."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    selection_list_ref = models.CharField(_("selection list category"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.years or ''}".strip()


class LegalHold(models.Model):
    """Blocks destruction of an account's captures (or one capture) while it is active."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, blank=True)
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    placed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return self.reason


class Destruction(models.Model):
    """A recorded decision to destroy one capture's content (who, when, why)."""

    target = models.OneToOneField(Capture, on_delete=models.PROTECT, related_name="destruction")
    record = models.OneToOneField(
        Capture, on_delete=models.PROTECT, related_name="destruction_record"
    )
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"))
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("destruction")
        verbose_name_plural = _("destructions")

    def __str__(self) -> str:
        return f"#{self.target_id} by {self.decided_by_id} on {self.decided_at:%Y-%m-%d}"
