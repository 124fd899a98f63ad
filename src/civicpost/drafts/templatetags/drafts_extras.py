from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from civicpost.drafts import highlight, labels
from civicpost.people.models import channel_label as _channel_label

register = template.Library()


@register.filter
def level_label(level: str) -> str:
    return str(labels.LEVELS.get(level, level))


@register.filter
def topic_label(topic: str) -> str:
    # An organisation's own topics have no translation; they show as written.
    return str(labels.TOPICS.get(topic, topic))


@register.filter
def domain_label(domain: str) -> str:
    return str(labels.DOMAINS.get(domain, domain))


@register.filter
def fit_label(fit: str) -> str:
    return str(labels.FITS.get(fit, fit))


@register.filter
def channel_label(channel: str) -> str:
    try:
        return _channel_label(channel)
    except KeyError:
        return channel


@register.filter
def percent(value: float) -> str:
    return f"{round(float(value) * 100)}%"


@register.filter
def span_text(finding: Mapping[str, Any], text: str) -> str:
    return text[int(finding["start"]) : int(finding["end"])]


@register.filter
def whole_post(finding: Mapping[str, Any], text: str) -> bool:
    return highlight.about_whole_post(text, finding)
