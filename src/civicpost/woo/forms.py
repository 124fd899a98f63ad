from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicpost.archive.forms import DateInput
from civicpost.woo.models import Ground, WooRequest


class RegisterForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WooRequest
        fields = ["reference", "requester_name", "requester_contact", "received_on", "subject"]
        widgets = {"received_on": DateInput(), "subject": forms.Textarea(attrs={"rows": 4})}


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=WooRequest.Status.choices)


class ChangeRedactionForm(forms.Form):
    start = forms.IntegerField(label=_("From character"), min_value=0)
    end = forms.IntegerField(label=_("Up to character"), min_value=1)
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, int) and isinstance(end, int) and end <= start:
            self.add_error("end", _("The end must come after the start."))
        return data


class AddRedactionForm(forms.Form):
    phrase = forms.CharField(label=_("Text to black out"), max_length=1000)
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices, initial=Ground.ART_5_1_2E)
