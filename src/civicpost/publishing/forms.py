"""Forms of the publishing pages; the credentials form never renders a secret back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicpost.people.models import Account
from civicpost.publishing.preview import AccountPreview
from civicpost.publishing.services import OverrideKey


class AccountChoice(forms.ModelMultipleChoiceField[Account]):
    def label_from_instance(self, obj: Account) -> str:
        return f"{obj.handle} — {obj.channel_name}, {obj.get_kind_display()}"


class PublishForm(forms.Form):
    accounts = AccountChoice(
        label=_("Publish on"),
        queryset=Account.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more accounts. Organisational and personal are marked."),
    )
    scheduled_for = forms.DateTimeField(
        label=_("Publish at (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty to publish now."),
    )

    def __init__(
        self,
        *args: Any,
        accounts: QuerySet[Account],
        previews: list[AccountPreview] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts  # type: ignore[attr-defined]
        self.previews = previews or []
        for shown in self.previews:
            for index, finding in enumerate(shown.blocking):
                self.fields[self.override_name(shown.account.pk, index)] = forms.CharField(
                    label=_("Reason to publish despite: %(message)s")
                    % {"message": finding.get("message", "")},
                    required=False,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    @staticmethod
    def override_name(account_id: int, index: int) -> str:
        return f"override_{account_id}_{index}"

    def override_fields(self, account_id: int) -> list[forms.BoundField]:
        prefix = f"override_{account_id}_"
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def overrides(self) -> dict[OverrideKey, str]:
        found: dict[OverrideKey, str] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("override_") and value:
                _prefix, account_id, index = name.split("_")
                found[OverrideKey(int(account_id), int(index))] = value
        return found

    def clean_scheduled_for(self) -> Any:
        value = self.cleaned_data.get("scheduled_for")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future, or leave it empty."))
        return value


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


def parse_secrets(text: str) -> dict[str, str]:
    """``name=value`` lines; blank lines ignored."""
    secrets: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise forms.ValidationError(
                _("Line %(number)d is not of the form name=value.") % {"number": number}
            )
        secrets[name.strip()] = value.strip()
    return secrets


class SecretsField(forms.CharField):
    """Write-only: always rendered empty, so a stored secret never reaches a page."""

    widget = forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"})

    def prepare_value(self, value: Any) -> str:
        return ""
