from __future__ import annotations

from django.http import HttpRequest

from civicpost import __version__


def civicpost(request: HttpRequest) -> dict[str, object]:
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    return {"civicpost_version": __version__, "person": person}
