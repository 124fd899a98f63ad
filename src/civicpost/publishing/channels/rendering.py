"""Rendering pages with Django's template engine, standalone (no Django settings needed).

Autoescaping is on: a post's text reaches the page as text. Links are found here and handed to
the template as separate (text, href) segments, so no HTML is ever built by string joining.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.template import Context, Engine

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_TIMEZONE = "Europe/Amsterdam"
_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")

MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


@dataclass(frozen=True)
class Segment:
    text: str
    href: str = ""


def paragraphs(text: str) -> list[list[list[Segment]]]:
    """Paragraphs (split at blank lines) of lines of segments; URLs become link segments."""
    result: list[list[list[Segment]]] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip():
            result.append([_segments(line) for line in block.strip().splitlines()])
    return result


def _segments(line: str) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in _URL.finditer(line):
        if match.start() > position:
            segments.append(Segment(line[position : match.start()]))
        segments.append(Segment(match.group(), href=match.group()))
        position = match.end()
    if position < len(line):
        segments.append(Segment(line[position:]))
    return segments


def format_date(value: dt.datetime, language: str, timezone: str = DEFAULT_TIMEZONE) -> str:
    """``1 april 2026`` / ``1 April 2026`` in the organisation's time zone."""
    local = value.astimezone(ZoneInfo(timezone))
    months = MONTHS.get(language, MONTHS["en"])
    return f"{local.day} {months[local.month - 1]} {local.year}"


def format_datetime(value: dt.datetime, language: str, timezone: str = DEFAULT_TIMEZONE) -> str:
    """``1 april 2026 09:30`` in the organisation's time zone."""
    local = value.astimezone(ZoneInfo(timezone))
    return f"{format_date(value, language, timezone)} {local:%H:%M}"


@cache
def _engine(template_dir: str) -> Engine:
    # An organisation's own templates (same names) come first and override the package's.
    dirs = [template_dir, str(PACKAGE_TEMPLATES)] if template_dir else [str(PACKAGE_TEMPLATES)]
    return Engine(dirs=dirs, autoescape=True, debug=False)


def render(template_name: str, context: Mapping[str, Any], template_dir: str = "") -> str:
    """Render ``template_name`` (e.g. ``publishing/site/post.html``) with ``context``."""
    template = _engine(template_dir).get_template(template_name)
    return str(template.render(Context(dict(context))))
