"""The archive search form: a GET form whose cleaned data becomes a ``SearchQuery``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicpost.archive.models import CaptureContent, CaptureKind
from civicpost.archive.search import SearchQuery
from civicpost.people.models import Account, channel_choices

YES_NO = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search text"), max_length=500, required=False)
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=Account.objects.filter(kind=Account.Kind.ORGANISATIONAL).order_by("handle"),
        required=False,
        empty_label=_("All accounts"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    date_to = forms.DateField(
        label=_("Up to and including date"), required=False, widget=DateInput()
    )
    kind = forms.ChoiceField(
        label=_("Kind of capture"),
        required=False,
        choices=[("", _("All kinds")), *CaptureKind.choices],
    )
    deleted = forms.ChoiceField(label=_("Deleted on the platform"), required=False, choices=YES_NO)
    has_media = forms.ChoiceField(label=_("Has media"), required=False, choices=YES_NO)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)
        channel_field.choices = [("", _("All channels")), *channel_choices()]
        languages = (
            CaptureContent.objects.exclude(language="")
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("All languages"))] + [(code, code) for code in languages]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def to_query(self) -> SearchQuery:
        """The query the valid fields describe; an invalid form searches for everything."""
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        account = data.get("account")
        return SearchQuery(
            text=data.get("q") or "",
            account_id=account.pk if account is not None else None,
            channel=data.get("channel") or "",
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            deleted=_yes_no(data.get("deleted") or ""),
            has_media=_yes_no(data.get("has_media") or ""),
            language=data.get("language") or "",
        )
