"""Response headers and language choice that apply to every page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy: no inline scripts or styles, nothing from elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The admin uses inline scripts of its own; it keeps Django's defaults.
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", settings.CIVICPOST_CSP)
        return response


class PersonLanguageMiddleware:
    """Use the person's preferred language unless they chose one with the language switch."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            person = getattr(request.user, "person", None)
            if person is not None:
                translation.activate(person.preferred_language)
                request.LANGUAGE_CODE = person.preferred_language
        return self.get_response(request)
