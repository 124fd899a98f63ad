"""Showing captures: sanitised content, word diffs, destruction notes, who sees the archive."""

from __future__ import annotations

import difflib
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from civicpost.archive.models import Capture, CaptureContent
from civicpost.archive.sanitize import content_fields, safe_html
from civicpost.archive.views import can_see_archive

register = template.Library()


def _content(capture: Capture) -> CaptureContent | None:
    try:
        return capture.content
    except CaptureContent.DoesNotExist:
        return None  # destroyed by a recorded decision


@register.filter
def has_content(capture: Capture) -> bool:
    return _content(capture) is not None


@register.filter
def fields(capture: Capture) -> dict[str, Any]:
    """The canonical record of a capture (empty after a destruction)."""
    content = _content(capture)
    return content_fields(content.content) if content is not None else {}


@register.filter
def capture_html(capture: Capture) -> SafeString:
    """The capture's content for display: remote HTML only ever through the sanitiser."""
    content = _content(capture)
    if content is None:
        return mark_safe("")
    html = content_fields(content.content).get("html")
    return safe_html(html if isinstance(html, str) else "", content.text)


@register.filter
def capture_text(capture: Capture) -> str:
    content = _content(capture)
    return content.text if content is not None else ""


@register.simple_tag
def word_diff(old: str, new: str) -> SafeString:
    """Words removed in <del>, words added in <ins>; everything escaped."""
    before, after = old.split(), new.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f'<del class="cp-del">{escape(" ".join(before[a1:a2]))}</del>')
        if b2 > b1:
            parts.append(f'<ins class="cp-ins">{escape(" ".join(after[b1:b2]))}</ins>')
    return mark_safe(" ".join(parts))  # noqa: S308 - built from escaped words only


@register.filter
def sees_archive(user: Any) -> bool:
    return can_see_archive(user)


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def indent(depth: int) -> int:
    """The indentation level of a reply at this depth (capped, so deep threads stay readable)."""
    return min(int(depth), 6)
