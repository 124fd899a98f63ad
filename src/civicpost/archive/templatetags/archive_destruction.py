"""Who sees the way to the destruction page."""

from __future__ import annotations

from typing import Any

from django import template

from civicpost.archive.destruction_views import decides_destruction as _decides

register = template.Library()


@register.filter
def decides_destruction(user: Any) -> bool:
    return _decides(user)
