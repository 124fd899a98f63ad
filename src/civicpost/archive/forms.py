"""The archive's forms: the search form (its cleaned data becomes a ``SearchQuery``) and the
destruction form (a selection of due captures and the reason for destroying them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicpost.archive.models import CaptureContent, CaptureKind
from civicpost.archive.retention import due_for_destruction
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


# Enough for a page of the list; a request naming thousands would only strain the database.
MAX_DESTROY_AT_ONCE = 200


class SequenceNumbers(forms.Field):
    """Capture sequence numbers from repeated fields (checkboxes, or hidden inputs)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Choose captures from the list."), code="invalid") from error


class DestructionForm(forms.Form):
    capture = SequenceNumbers(
        label=_("Captures to destroy"),
        error_messages={"required": _("Select at least one capture to destroy.")},
    )
    reason = forms.CharField(
        label=_("Reason for the destruction"),
        help_text=_(
            "Recorded in the decision with your name and the date, for example the selection "
            "list category and the retention period that has passed."
        ),
        max_length=2000,
        # The shared field template gives the help text this id.
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_reason_help"}),
        error_messages={"required": _("Give the reason for the destruction.")},
    )

    def clean_capture(self) -> list[int]:
        seqs: list[int] = self.cleaned_data["capture"]
        if len(seqs) > MAX_DESTROY_AT_ONCE:
            raise ValidationError(
                _("Select at most %(max)s captures at a time.") % {"max": MAX_DESTROY_AT_ONCE}
            )
        due = set(due_for_destruction().filter(seq__in=seqs).values_list("seq", flat=True))
        refused = [seq for seq in seqs if seq not in due]
        if refused:
            raise ValidationError(
                _(
                    "These captures cannot be destroyed: %(list)s. They are under a legal hold, "
                    "their retention period has not passed or they were destroyed already."
                )
                % {"list": ", ".join(f"#{seq}" for seq in refused)}
            )
        return seqs


class DestructionFilterForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=Account.objects.filter(kind=Account.Kind.ORGANISATIONAL).order_by("handle"),
        required=False,
        empty_label=_("All accounts"),
    )
