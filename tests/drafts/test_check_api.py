"""POST /api/v1/check honours the DESIGN §4 contract and stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.urls import reverse

from civicpost.drafts import openapi
from civicpost.drafts.models import Draft

ROOT = Path(__file__).resolve().parents[2]


def _post(client, body):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(reverse("api:check"), data, content_type="application/json")


def test_check_needs_a_login(client, db):
    response = _post(client, {"text": "Hallo"})
    assert response.status_code == 401
    assert "error" in response.json()


def test_vote_call_on_an_organisational_account_is_an_error(ministry, login):
    result = _post(
        login("anna"),
        {"id": "d1", "text": "Stem op de VVD!", "account": {"kind": "organisational"}},
    ).json()
    assert result["id"] == "d1"
    assert set(result) == {"id", "language", "domain", "findings", "channels"}
    party = [f for f in result["findings"] if f["topic"] == "party-politics"]
    assert any(f["level"] == "error" for f in party)
    finding = party[0]
    assert set(finding) == {
        "rule",
        "topic",
        "guideline",
        "level",
        "start",
        "end",
        "message",
        "suggestion",
        "source",
    }
    assert "VVD" in "Stem op de VVD!"[finding["start"] : finding["end"]]


def test_a_list_is_checked_in_order_and_a_bad_item_does_not_stop_it(ministry, login):
    result = _post(login("anna"), [{"text": "Mooie dag aan zee."}, {"tekst": "x"}, {"text": "Hi"}])
    body = result.json()
    assert result.status_code == 200
    assert len(body) == 3
    assert body[1] == {"index": 1, "error": body[1]["error"]}
    assert "text" in body[1]["error"]
    assert body[0]["findings"] == [] or all(f["level"] == "suggestion" for f in body[0]["findings"])


def test_invalid_json_is_a_clear_400(ministry, login):
    response = _post(login("anna"), "{not json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


def test_a_draft_without_text_is_a_clear_400(ministry, login):
    response = _post(login("anna"), {"txt": "typo"})
    assert response.status_code == 400
    assert "text" in response.json()["error"]


def test_checking_stores_nothing(ministry, login):
    client = login("anna")
    _post(client, {"text": "Vertrouwelijk: de concept-Kamerbrief gaat morgen uit."})
    client.post(reverse("drafts:check"), {"text": "Vertrouwelijk, niet verspreiden."})
    assert Draft.objects.count() == 0


def test_committed_openapi_document_is_current():
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi.render(), "run: civicpost manage write_openapi"


def test_openapi_document_lists_the_contracts_vocabulary(client, db):
    document = client.get(reverse("api:openapi")).json()
    result = document["components"]["schemas"]["Result"]["properties"]
    finding = result["findings"]["items"]["properties"]
    assert finding["level"]["enum"] == ["suggestion", "warning", "error"]
    assert "party-politics" in finding["topic"]["enum"] and len(finding["topic"]["enum"]) == 18
    assert result["domain"]["properties"]["label"]["enum"] == [
        "person",
        "function",
        "department",
        "organisation",
    ]
