"""Replay recorded shapes: the documented requests and responses of an API we cannot call here.

X and LinkedIn need paid or partner credentials, so their adapters are tested against recorded
shapes: JSON files listing, in order, each request the adapter must send (method, URL, the
headers and body fields it must carry) and the response the platform documents for it. The
replay fails the test when a request differs from the recorded one, or when a recorded request
is never made.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import requests
from requests.adapters import BaseAdapter

FOLDER = Path(__file__).resolve().parent


class RecordedShapes:
    def __init__(self, name: str) -> None:
        self.name = name
        self.exchanges: list[dict[str, Any]] = json.loads(
            (FOLDER / f"{name}.json").read_text("utf-8")
        )["exchanges"]
        self.position = 0
        self.requests: list[dict[str, Any]] = []

    # --- matching --------------------------------------------------------------------------

    def answer(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, Any]:
        assert self.position < len(self.exchanges), (
            f"{self.name}: unexpected extra request {method} {url}"
        )
        expected = self.exchanges[self.position]
        self.position += 1
        where = f"{self.name} exchange {self.position}"
        assert method == expected["method"], f"{where}: {method} instead of {expected['method']}"
        actual, wanted = urlsplit(url), urlsplit(expected["url"])
        assert (actual.scheme, actual.netloc, unquote(actual.path)) == (
            wanted.scheme,
            wanted.netloc,
            unquote(wanted.path),
        ), f"{where}: {url} instead of {expected['url']}"
        actual_query = parse_qs(actual.query)
        for key, values in parse_qs(wanted.query).items():
            assert actual_query.get(key) == values, f"{where}: query {key}={actual_query.get(key)}"
        lower = {key.lower(): value for key, value in headers.items()}
        for key, value in expected.get("headers", {}).items():
            got = lower.get(key.lower())
            assert got is not None, f"{where}: header {key} missing"
            if value.endswith("*"):
                assert got.startswith(value[:-1]), f"{where}: header {key}={got!r}"
            else:
                assert got == value, f"{where}: header {key}={got!r}, expected {value!r}"
        if "json" in expected:
            _assert_subset(json.loads(body), expected["json"], where)
        if "body" in expected:
            assert body == expected["body"].encode("utf-8"), f"{where}: body differs"
        self.requests.append({"method": method, "url": url, "body": body})
        return dict(expected["response"])

    def assert_all_used(self) -> None:
        assert self.position == len(self.exchanges), (
            f"{self.name}: {len(self.exchanges) - self.position} recorded request(s) never made"
        )

    # --- transports ------------------------------------------------------------------------

    def httpx_transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            response = self.answer(
                request.method, str(request.url), dict(request.headers), request.read()
            )
            return httpx.Response(
                response["status"],
                headers=response.get("headers", {}),
                json=response.get("json"),
            )

        return httpx.MockTransport(handle)

    def requests_adapter(self) -> BaseAdapter:
        return _RequestsReplay(self)


class _RequestsReplay(BaseAdapter):
    def __init__(self, shapes: RecordedShapes) -> None:
        super().__init__()
        self.shapes = shapes

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        answer = self.shapes.answer(
            str(request.method), str(request.url), dict(request.headers), bytes(body)
        )
        response = requests.Response()
        response.status_code = answer["status"]
        response.headers.update(answer.get("headers", {}))
        content = json.dumps(answer["json"]).encode("utf-8") if "json" in answer else b""
        if content:
            response.headers.setdefault("content-type", "application/json")
        response._content = content
        response.url = str(request.url)
        response.request = request
        response.reason = "recorded"
        return response

    def close(self) -> None:
        pass


def _assert_subset(actual: Any, expected: Any, where: str, path: str = "$") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {path} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{where}: {path}.{key} missing"
            _assert_subset(actual[key], value, where, f"{path}.{key}")
    else:
        assert actual == expected, f"{where}: {path} is {actual!r}, expected {expected!r}"
