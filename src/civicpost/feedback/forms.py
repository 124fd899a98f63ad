"""Forms of the feedback pages; every field labelled, every choice in words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicpost.feedback import circles, notifications
from civicpost.feedback.models import Circle, Decision, Verdict
from civicpost.people import services as people
from civicpost.people.models import Person, Unit


class StartCircleForm(forms.Form):
    name = forms.CharField(label=_("Name of the circle"), max_length=200)


class AskFeedbackForm(forms.Form):
    circle = forms.ModelChoiceField(
        label=_("Ask your circle"),
        queryset=Circle.objects.none(),
        required=False,
        empty_label=_("No circle"),
    )
    colleagues = forms.ModelMultipleChoiceField(
        label=_("Ask named colleagues"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Message"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, author: Person, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["circle"].queryset = circles.circles_of(author)  # type: ignore[attr-defined]
        self.fields["colleagues"].queryset = people.colleagues_of(author).order_by("display_name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("circle") and not data.get("colleagues"):
            raise forms.ValidationError(_("Choose a circle or at least one colleague."))
        return data


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("In your own words"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    quote = forms.CharField(
        label=_("Passage you comment on"),
        help_text=_("Copy the words from the text exactly, or select them in the text above."),
        max_length=2000,
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you take this to the deciding person?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PositionForm(forms.Form):
    text = forms.CharField(
        label=_("Your position"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=_("Reasoning"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ShareFindingsForm(forms.Form):
    findings = forms.MultipleChoiceField(
        label=_("Findings to share with the deciding person"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, findings: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.all_findings = findings
        self.fields["findings"].choices = [  # type: ignore[attr-defined]
            (str(i), f"{f.get('rule')} — {f.get('message')}") for i, f in enumerate(findings)
        ]

    def chosen(self) -> list[dict[str, Any]]:
        return [self.all_findings[int(i)] for i in self.cleaned_data["findings"]]


class PurposeScopeForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )

    def __init__(self, person: Person, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=person.organisation)  # type: ignore[attr-defined]


class PreferencesForm(forms.Form):
    """Two checkboxes per kind of notification: in the app, and by e-mail."""

    def __init__(self, person: Person, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, spec in notifications.KINDS.items():
            current = notifications.preference(person, kind)
            in_app = forms.BooleanField(
                label=_("In the app"), required=False, initial=current.in_app
            )
            email = forms.BooleanField(label=_("By e-mail"), required=False, initial=current.email)
            self.fields[f"{kind}__app"] = in_app
            self.fields[f"{kind}__email"] = email
            self.rows.append((kind, spec.label))

    def table(self) -> list[tuple[Any, Any, Any]]:
        return [(label, self[f"{kind}__app"], self[f"{kind}__email"]) for kind, label in self.rows]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind: (self.cleaned_data[f"{kind}__app"], self.cleaned_data[f"{kind}__email"])
            for kind, _label in self.rows
        }
