"""Drafts an author saved. A live check is never stored; see services.py for why."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.purposes import Purpose
from civicpost.people.models import Account, Person


class Draft(models.Model):
    """A text its author chose to keep, with its account, purpose and images.

    ``check_record`` holds the check findings only for organisational accounts: they are part
    of the process record that is archived with the post (ARC-07). For personal accounts it stays
    empty, so nothing about a personal draft's check outlives the author's screen (P-01..P-03).
    """

    author = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.CASCADE, related_name="drafts"
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    text = models.TextField(_("text"), max_length=20_000)
    check_record = models.JSONField(_("check record"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.text[:60]


class DraftImage(models.Model):
    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="images"
    )
    file = models.ImageField(_("image"), upload_to="drafts/%Y/%m/")
    alt_text = models.CharField(_("alt text"), max_length=1500, blank=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt_text or self.file.name or ""
