"""Django admin: circles only.

Feedback, conflicts and notifications are deliberately not in the admin: feedback on a
personal-account draft is for its author and the people they asked, not for administrators
(P-01), and the audit trail of a conflict is never edited by hand.
"""

from django.contrib import admin

from civicpost.feedback.models import Circle, Membership


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ["person", "joined_at", "principles_version", "left_at"]
    readonly_fields = ["person", "joined_at", "principles_version", "left_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "organisation", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [MembershipInline]
