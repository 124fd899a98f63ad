"""The publishing part of the draft page: this draft's publications and their status."""

from __future__ import annotations

from django import template

from civicpost.drafts.models import Draft
from civicpost.publishing.models import Publication

register = template.Library()


@register.simple_tag
def publications_of(draft: Draft) -> list[Publication]:
    return list(draft.publications.select_related("account").order_by("account__handle"))
