"""Untrusted HTML from platforms, made safe to show (sanitised with nh3, never trusted as is)."""

from __future__ import annotations

import json
import re
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset({"p", "br", "a", "span", "strong", "em", "ul", "ol", "li", "blockquote"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Removed together with everything inside them, not just unwrapped.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
_BLANK_LINES = re.compile(r"\n{2,}")


def clean_html(html: str) -> str:
    """The fragment with only the allowed tags, attributes and URL schemes left."""
    return str(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROP_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )


def text_as_html(text: str) -> SafeString:
    """Plain text, escaped, with its paragraphs and line breaks kept."""
    paragraphs = [part for part in _BLANK_LINES.split(text.strip()) if part.strip()]
    body = "".join("<p>" + escape(part).replace("\n", "<br>") + "</p>" for part in paragraphs)
    return mark_safe(body)  # noqa: S308 - every part went through escape()


def safe_html(html: str, text: str = "") -> SafeString:
    """What to show for a capture: its sanitised HTML, or else its escaped text."""
    if html.strip():
        return mark_safe(clean_html(html))  # noqa: S308 - sanitised by nh3 just above
    return text_as_html(text)


def content_fields(content: str) -> dict[str, Any]:
    """The canonical JSON of a capture as a dict (empty when it cannot be read)."""
    try:
        value = json.loads(content)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
