from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicpost.people.models import Person


class ProfileForm(forms.ModelForm[Person]):
    """A person edits their dossiers (one per line) and their language."""

    dossiers_text = forms.CharField(
        label=_("Dossiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "utrecht-textarea"}),
        help_text=_(
            "Your field of competence, one topic per line. The checker uses it to tell "
            "criticism of your own field (GCCO-2) from other opinions."
        ),
    )

    class Meta:
        model = Person
        fields = ["preferred_language"]
        widgets = {"preferred_language": forms.Select(attrs={"class": "utrecht-select"})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["dossiers_text"].initial = "\n".join(self.instance.dossiers)

    def clean_dossiers_text(self) -> list[str]:
        seen: dict[str, str] = {}
        for line in self.cleaned_data["dossiers_text"].splitlines():
            topic = " ".join(line.split())
            if len(topic) > 100:
                raise forms.ValidationError(_("A dossier name can be at most 100 characters."))
            if topic and topic.casefold() not in seen:
                seen[topic.casefold()] = topic
        return list(seen.values())

    def save(self, commit: bool = True) -> Person:
        self.instance.dossiers = self.cleaned_data["dossiers_text"]
        return super().save(commit=commit)


class GrantConsentForm(forms.Form):
    grantee = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Everyone in my organisation"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )

    def __init__(self, person: Person, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grantee"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            organisation=person.organisation
        ).exclude(pk=person.pk)


class AskConsentForm(forms.Form):
    subject = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=Person.objects.none(),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )

    def __init__(self, person: Person, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["subject"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            organisation=person.organisation
        ).exclude(pk=person.pk)
