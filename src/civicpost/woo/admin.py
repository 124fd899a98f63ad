from django.contrib import admin

from civicpost.woo.models import Redaction, WooCapture, WooEvent, WooRequest


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WooEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "who", "action", "detail"]


@admin.register(WooRequest)
class WooRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["reference", "received_on", "status", "extended", "handled_by"]
    list_filter = ["status", "extended"]
    search_fields = ["reference", "subject"]
    inlines = [EventInline]


@admin.register(Redaction)
class RedactionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["item", "field", "start", "end", "category", "ground", "status"]
    list_filter = ["status", "ground"]


admin.site.register(WooCapture)
