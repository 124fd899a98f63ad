from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.purposes import Purpose
from civicpost.drafts.services import ImageInput
from civicpost.people import services as people
from civicpost.people.models import Account, Person

IMAGE_SLOTS = 3


class AccountChoiceField(forms.ModelChoiceField[Account]):
    def label_from_instance(self, obj: Account) -> str:
        kind = _("Personal account") if obj.is_personal else _("Organisational account")
        return f"{kind}: {obj.handle} ({obj.channel_name})"


class ComposeForm(forms.Form):
    """A draft: account, purpose, text and up to three images with alt text."""

    account = AccountChoiceField(
        label=_("Account"),
        queryset=Account.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Organisational: you speak for the organisation. Personal: you speak for yourself."
        ),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("Choose one of the seven reasons")), *Purpose.choices],
        help_text=_("Why are you posting this? One of the seven reasons to engage."),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "utrecht-textarea"}),
    )

    def __init__(self, author: Person, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["account"].queryset = people.accounts_for(author)  # type: ignore[attr-defined]
        for slot in range(1, IMAGE_SLOTS + 1):
            self.fields[f"image_{slot}"] = forms.ImageField(
                label=_("Image %(number)s") % {"number": slot},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
            )
            self.fields[f"alt_{slot}"] = forms.CharField(
                label=_("Alt text for image %(number)s") % {"number": slot},
                required=False,
                max_length=1500,
                help_text=_("Describe what the image shows, including any text in it (A-01)."),
                widget=forms.Textarea(attrs={"rows": 2, "class": "utrecht-textarea"}),
            )

    def image_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"image_{n}"], self[f"alt_{n}"]) for n in range(1, IMAGE_SLOTS + 1)]

    def images(self) -> list[ImageInput]:
        """Images chosen in this request; during a live check only their presence matters."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        result = []
        for slot in range(1, IMAGE_SLOTS + 1):
            upload = data.get(f"image_{slot}") or self.files.get(f"image_{slot}")
            present = upload or self.data.get(f"image_{slot}_present")
            if present:
                alt = data.get(f"alt_{slot}", self.data.get(f"alt_{slot}", ""))
                result.append(ImageInput(upload or None, str(alt).strip()))
        return result
