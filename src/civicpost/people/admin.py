"""Django admin for organisation administrators."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicpost.people.models import Account, Consent, ConsentRequest, Organisation, Person, Unit


class UnitInline(admin.TabularInline[Unit, Organisation]):
    model = Unit
    fk_name = "organisation"
    extra = 0
    fields = ["name", "parent", "decider"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "short_name", "decider"]
    search_fields = ["name", "short_name"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["__str__", "organisation", "decider"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "decider"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["display_name", "role", "unit", "is_spokesperson", "preferred_language"]
    list_filter = ["organisation", "role", "is_spokesperson", "preferred_language", "unit"]
    search_fields = ["display_name", "user__username", "user__email", "job_title"]
    autocomplete_fields = ["user", "unit", "manager"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin[Account]):
    list_display = ["handle", "channel", "kind", "unit", "owner"]
    list_filter = ["kind", "channel", "organisation", "unit"]
    search_fields = ["handle", "display_name", "owner__display_name"]
    autocomplete_fields = ["unit", "owner", "posters"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ["subject", "grantee_or_everyone", "granted_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "granted_at"]
    search_fields = ["subject__display_name", "grantee__display_name"]
    autocomplete_fields = ["subject", "grantee"]

    @admin.display(description=_("who may name them"))
    def grantee_or_everyone(self, obj: Consent) -> str:
        return str(obj.grantee) if obj.grantee else str(_("everyone"))

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        # Consent history is kept: revoke instead of deleting.
        return False


@admin.register(ConsentRequest)
class ConsentRequestAdmin(admin.ModelAdmin[ConsentRequest]):
    list_display = ["requester", "subject", "asked_at", "answer", "answered_at"]
    list_filter = ["answer", "asked_at"]
    search_fields = ["requester__display_name", "subject__display_name"]
