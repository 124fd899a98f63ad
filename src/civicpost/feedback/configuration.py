"""The feedback app's two settings, read from Django settings or else the environment."""

from __future__ import annotations

import os

from django.conf import settings

DEFAULT_REMINDER_HOURS = 48.0


def _value(name: str) -> str:
    configured = getattr(settings, name, None)
    if configured is not None:
        return str(configured)
    return os.environ.get(name, "").strip()


def reminder_hours() -> float:
    """CIVICPOST_FEEDBACK_REMINDER_HOURS: how long after asking a reminder goes out."""
    raw = _value("CIVICPOST_FEEDBACK_REMINDER_HOURS")
    try:
        hours = float(raw) if raw else DEFAULT_REMINDER_HOURS
    except ValueError:
        return DEFAULT_REMINDER_HOURS
    return hours if hours > 0 else DEFAULT_REMINDER_HOURS


def base_url() -> str:
    """CIVICPOST_BASE_URL: where civicpost is reached, for links in e-mail (empty: a path)."""
    return _value("CIVICPOST_BASE_URL").rstrip("/")
