"""Administration: connections (with write-only credentials), approval policies, publications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicpost.publishing import credentials
from civicpost.publishing.forms import SecretsField, parse_secrets
from civicpost.publishing.models import (
    Approval,
    ApprovalPolicy,
    ApprovalStep,
    ChannelConnection,
    Publication,
)


class ConnectionForm(forms.ModelForm[ChannelConnection]):
    new_credentials = SecretsField(
        label=_("New credentials"),
        required=False,
        help_text=_(
            "One name=value per line, e.g. access_token=… (Mastodon) or password=… (Bluesky "
            "app password). Stored encrypted and never shown again; leave empty to keep the "
            "current ones."
        ),
    )
    clear_credentials = forms.BooleanField(label=_("Remove the credentials"), required=False)

    class Meta:
        model = ChannelConnection
        fields = ["account", "settings"]

    def clean_new_credentials(self) -> dict[str, str]:
        return parse_secrets(self.cleaned_data.get("new_credentials") or "")


@admin.register(ChannelConnection)
class ChannelConnectionAdmin(admin.ModelAdmin[ChannelConnection]):
    form = ConnectionForm
    list_display = ["account", "status", "status_message", "checked_at", "harvested_at"]
    list_filter = ["status", "account__channel"]
    readonly_fields = ["status", "status_message", "checked_at", "harvested_at", "harvest_message"]
    actions = ["check_now"]

    def save_model(
        self, request: HttpRequest, obj: ChannelConnection, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        secrets = form.cleaned_data.get("new_credentials") or {}
        if form.cleaned_data.get("clear_credentials"):
            credentials.store_credentials(obj, {})
        elif secrets:
            credentials.store_credentials(obj, secrets)
        credentials.check_connection(obj.account)

    @admin.action(description=_("Check the connection now"))
    def check_now(self, request: HttpRequest, queryset: QuerySet[ChannelConnection]) -> None:
        for connection in queryset.select_related("account"):
            checked = credentials.check_connection(connection.account)
            messages.info(request, f"{connection.account.handle}: {checked.get_status_display()}")


class ApprovalStepInline(admin.TabularInline[ApprovalStep, ApprovalPolicy]):
    model = ApprovalStep
    extra = 1
    max_num = 3
    filter_horizontal = ["approvers"]


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin[ApprovalPolicy]):
    list_display = ["account", "enabled", "expires_after_hours"]
    inlines = [ApprovalStepInline]


class ApprovalInline(admin.TabularInline[Approval, Publication]):
    model = Approval
    extra = 0
    can_delete = False
    readonly_fields = ["step", "approver", "approved", "note", "decided_at"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin[Publication]):
    list_display = ["account", "state", "attempts", "published_at", "created_at"]
    list_filter = ["state", "account__channel"]
    readonly_fields = [f.name for f in Publication._meta.fields]
    inlines = [ApprovalInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
