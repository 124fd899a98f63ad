"""Read-only admin views of the archive: captures are never edited here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicpost.archive.models import Capture, LegalHold, RetentionRule


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["seq", "kind", "account", "channel", "remote_id", "captured_at"]
    list_filter = ["kind", "channel", "provenance"]
    search_fields = ["remote_id", "content_hash", "chain_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(RetentionRule)
admin.site.register(LegalHold)
