"""``POST /api/v1/check``: the DESIGN §4 contract over HTTP. Nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from civicpost import policy as engine
from civicpost.drafts import openapi, services

MAX_BODY_BYTES = 2_000_000
MAX_DRAFTS = 1000


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


# A check has no side effects and stores nothing, so there is nothing for a forged cross-site
# request to achieve; scripts and other services call it with a session or from the same site.
@csrf_exempt
@require_POST
def check(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _error(401, "Log in first: the check API is for people of the organisation.")
    if len(request.body) > MAX_BODY_BYTES:
        return _error(413, f"The request is larger than {MAX_BODY_BYTES} bytes.")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _error(400, f"The body is not valid JSON: {error}")
    policy = services.current_policy()
    if isinstance(payload, list):
        if len(payload) > MAX_DRAFTS:
            return _error(413, f"At most {MAX_DRAFTS} drafts per request.")
        results: list[dict[str, Any]] = []
        for index, item in enumerate(payload):
            try:
                results.append(engine.check(policy, item))
            except engine.InputError as error:
                results.append({"index": index, "error": str(error)})
        return JsonResponse(results, safe=False)
    try:
        return JsonResponse(engine.check(policy, payload))
    except engine.InputError as error:
        return _error(400, str(error))


@require_GET
def schema(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi.document(), json_dumps_params={"ensure_ascii": False, "indent": 2})
