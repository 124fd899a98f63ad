"""Platform responses as plain JSON values, so the archive can store them as they came."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def jsonable(value: Any) -> Any:
    """A deep copy of ``value`` with dates as ISO strings and mappings as plain dicts."""
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None  # binary bodies are archived as media, not inside the record
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
