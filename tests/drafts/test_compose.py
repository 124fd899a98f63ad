"""The compose page: live check, saving, and privacy route by route (P-01..P-03)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civicpost.drafts import highlight
from civicpost.drafts.models import Draft
from civicpost.people.models import Account

PERSONAL = "@anna.devries@mastodon.example"
ORGANISATIONAL = "@waterveiligheid@social.example"


def _account(handle: str) -> Account:
    return Account.objects.get(handle=handle)


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return SimpleUploadedFile("dijk.png", buffer.getvalue(), content_type="image/png")


def test_live_check_marks_the_span_and_explains_it(ministry, login):
    response = login("anna").post(
        reverse("drafts:check"),
        {"text": "Dit stuk is vertrouwelijk.", "account": _account(PERSONAL).pk},
    )
    page = response.content.decode()
    assert '<mark class="cp-mark cp-mark--' in page
    assert ">vertrouwelijk<sup" in page
    assert 'data-topic="confidentiality"' in page
    assert "R-NL-03" in page


def test_live_check_knows_about_consent(ministry, login):
    client = login("anna")
    text = "Mooie wandeling met Daan Duinmeijer en Hanna Havenga langs de nieuwe dijk."
    page = client.post(reverse("drafts:check"), {"text": text}).content.decode()
    # Daan allowed Anna to name him in the demo; Hanna has not answered yet.
    assert ">Hanna Havenga<sup" in page
    assert ">Daan Duinmeijer<sup" not in page


def test_live_check_with_someone_elses_account_is_refused(ministry, login):
    femke_account = Account.objects.get(handle="@femke@warmte.example")
    response = login("anna").post(
        reverse("drafts:check"), {"text": "Hallo", "account": femke_account.pk}
    )
    assert response.status_code == 403


def test_saving_a_personal_draft_keeps_no_check_record(ministry, login):
    client = login("anna")
    response = client.post(
        reverse("drafts:compose"),
        {"account": _account(PERSONAL).pk, "purpose": "trends", "text": "Weg met die idioten."},
    )
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.author == ministry["anna"]
    assert draft.check_record is None


def test_saving_an_organisational_draft_keeps_its_check_as_process_record(ministry, login):
    client = login("anna")
    client.post(
        reverse("drafts:compose"),
        {
            "account": _account(ORGANISATIONAL).pk,
            "purpose": "official-information",
            "text": "De dijk bij Zandvoort wordt versterkt. Kijk op onze website.",
            "image_1": _png(),
            "alt_1": "Kaart van de nieuwe dijkvakken",
        },
    )
    draft = Draft.objects.get()
    assert draft.check_record is not None and "findings" in draft.check_record
    assert draft.images.get().alt_text == "Kaart van de nieuwe dijkvakken"


def test_an_image_without_alt_text_is_flagged(ministry, login):
    page = (
        login("anna")
        .post(
            reverse("drafts:check"),
            {"text": "Kijk eens naar deze foto van de dijk.", "image_1": _png(), "alt_1": ""},
        )
        .content.decode()
    )
    assert 'data-topic="accessibility"' in page


@pytest.mark.parametrize("username", ["daan", "minister", "ivo", "bram"])
def test_nobody_else_sees_a_personal_draft(ministry, login, username):
    anna_client = login("anna")
    anna_client.post(
        reverse("drafts:compose"),
        {"account": _account(PERSONAL).pk, "purpose": "trends", "text": "Privé gedachte."},
    )
    draft = Draft.objects.get()
    anna_client.logout()
    other = login(username)  # her manager, the minister, the administrator, a colleague
    assert other.get(reverse("drafts:edit", args=[draft.pk])).status_code == 404
    assert "Privé gedachte" not in other.get(reverse("drafts:list")).content.decode()
    response = other.post(
        reverse("drafts:edit", args=[draft.pk]),
        {"account": "", "purpose": "trends", "text": "overwritten"},
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.text == "Privé gedachte."


def test_the_author_reopens_a_draft_with_its_check(ministry, login):
    client = login("anna")
    client.post(
        reverse("drafts:compose"),
        {"account": _account(PERSONAL).pk, "purpose": "trends", "text": "Dit is vertrouwelijk."},
    )
    page = client.get(reverse("drafts:edit", args=[Draft.objects.get().pk])).content.decode()
    assert "Dit is vertrouwelijk." in page
    assert 'data-topic="confidentiality"' in page


def test_overlapping_findings_share_a_segment_with_the_worst_level():
    text = "abcdefghij"
    findings = [
        {"start": 0, "end": 6, "level": "suggestion"},
        {"start": 4, "end": 8, "level": "error"},
    ]
    parts = highlight.segments(text, findings)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.findings, p.level) for p in parts] == [
        ("abcd", (1,), "suggestion"),
        ("ef", (1, 2), "error"),
        ("gh", (2,), "error"),
        ("ij", (), ""),
    ]


def test_spans_outside_the_text_are_clamped_not_crashing():
    parts = highlight.segments("abc", [{"start": 2, "end": 99, "level": "warning"}])
    assert [(p.text, p.marked) for p in parts] == [("ab", False), ("c", True)]


def test_findings_about_the_whole_post_are_listed_not_marked():
    text = "  Een heel bericht.  "
    parts = highlight.segments(text, [{"start": 2, "end": 19, "level": "warning"}])
    assert not any(p.marked for p in parts)
