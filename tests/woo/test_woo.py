"""Woo requests: deadlines, access, redaction proposals, release package, audit trail."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse

from civicpost.archive.models import Capture
from civicpost.woo import redaction, services
from civicpost.woo.models import Ground, Redaction, WooEvent, WooRequest, deadline_for
from tests.woo.factories import PERSONAL_TEXT


@pytest.mark.parametrize(
    ("received", "extended", "deadline"),
    [
        (dt.date(2026, 1, 5), False, dt.date(2026, 2, 2)),
        (dt.date(2026, 1, 5), True, dt.date(2026, 2, 16)),
        (dt.date(2026, 12, 14), False, dt.date(2027, 1, 11)),
        (dt.date(2028, 2, 1), True, dt.date(2028, 3, 14)),  # leap year
    ],
)
def test_deadline_is_four_weeks_plus_two_when_extended(received, extended, deadline):
    assert deadline_for(received, extended) == deadline


def test_proposals_find_valid_personal_data_and_not_an_invalid_bsn(ministry):
    found = {
        (p.category, PERSONAL_TEXT[p.start : p.end]) for p in redaction.proposals(PERSONAL_TEXT)
    }
    assert ("bsn", "111222333") in found
    assert ("iban", "NL91ABNA0417164300") in found
    assert ("email", "jan.jansen@example.org") in found
    assert any(category == "phone" and "12345678" in text for category, text in found)
    assert not any(text == "123456789" for _, text in found)
    grounds = {p.category: p.ground for p in redaction.proposals(PERSONAL_TEXT)}
    assert grounds["bsn"] == Ground.ART_5_1_1E and grounds["email"] == Ground.ART_5_1_2E


def test_received_reply_proposes_its_author(ministry):
    found = redaction.proposals("Groet van @jan", "@jan@example.org", received=True)
    assert ("author", 0, len("@jan@example.org")) in {(p.field, p.start, p.end) for p in found}
    assert any(p.field == "text" and p.start == 10 for p in found)


def test_redact_merges_overlaps_and_keeps_the_rest():
    assert redaction.redact("abc 123 def", [(4, 7, "5.1.2e")]) == "abc [gelakt: 5.1.2e] def"
    assert redaction.redact("abcdef", [(0, 3, "5.2"), (2, 5, "5.2")]) == "[gelakt: 5.2]f"


@pytest.fixture
def woo(ministry) -> WooRequest:  # type: ignore[no-untyped-def]
    return services.register(
        ministry["eva"],
        reference="WOO-2026/014",
        requester_name="P. Verzoeker",
        requester_contact="p@example.org",
        received_on=dt.date(2026, 3, 1),
        subject="Alle berichten over de dijk bij Petten",
    )


def test_release_package_applies_accepted_redactions_and_leaves_the_original(
    ministry, captured, woo
):
    eva = ministry["eva"]
    reply = captured.reply
    before = Capture.objects.get(pk=reply.pk).content_hash
    assert services.add_captures(woo, eva, [captured.post, reply]) == 2
    proposed = list(Redaction.objects.filter(item__capture=reply))
    assert {r.category for r in proposed} >= {"bsn", "iban", "phone", "email", "author"}
    with pytest.raises(services.WooError):
        services.release_package(woo, eva)  # undecided proposals block the release
    for entry in proposed:
        if entry.category == "iban":
            services.reject(entry, eva)
        else:
            services.accept(entry, eva)
    item = woo.items.get(capture=reply)
    services.add_phrase(item, eva, "Ongeldig nummer", Ground.ART_5_2)

    package = zipfile.ZipFile(io.BytesIO(services.release_package(woo, eva)))
    names = package.namelist()
    html = package.read(next(n for n in names if n.endswith(".html"))).decode()
    data = json.loads(package.read(next(n for n in names if n.endswith(".json"))))
    record = next(r for r in data["records"] if r["seq"] == reply.seq)
    assert "111222333" not in record["text"] and "[gelakt: 5.1.1e]" in record["text"]
    assert "jan.jansen@example.org" not in record["text"] and "[gelakt: 5.1.2e]" in record["text"]
    assert "NL91ABNA0417164300" in record["text"]  # rejected, so shown
    assert "[gelakt: 5.2]" in record["text"]
    assert record["author"] == "[gelakt: 5.1.2e]"
    assert "111222333" not in html and "jan.jansen@example.org" not in html
    assert "eerbiediging" in html.lower() or "persoonlijke levenssfeer" in html.lower()
    assert {g["code"] for g in data["grounds"]} == {"5.1.1e", "5.1.2e", "5.2"}
    assert "p@example.org" not in html  # the requester's contact stays out of the release
    # The original in the archive is untouched.
    after = Capture.objects.get(pk=reply.pk)
    assert after.content_hash == before and after.content.text == reply.content.text
    woo.refresh_from_db()
    assert woo.status == WooRequest.Status.RELEASED


def test_audit_trail_records_every_step(ministry, captured, woo):
    eva = ministry["eva"]
    services.add_captures(woo, eva, [captured.reply])
    entries = list(Redaction.objects.filter(item__request=woo))
    services.accept(entries[0], eva)
    services.reject(entries[1], eva)
    services.change(entries[2], eva, 0, 4, Ground.ART_5_1_1D)
    item = woo.items.get()
    services.add_redaction(item, eva, 5, 8, Ground.ART_5_1_2E)
    services.extend(woo, eva, "Veel berichten")
    with pytest.raises(services.WooError):
        services.extend(woo, eva, "nog eens")
    services.remove_capture(item, eva)
    actions = list(woo.events.values_list("action", flat=True))
    for action in (
        WooEvent.Action.REGISTERED,
        WooEvent.Action.CAPTURE_ADDED,
        WooEvent.Action.REDACTION_PROPOSED,
        WooEvent.Action.REDACTION_ACCEPTED,
        WooEvent.Action.REDACTION_REJECTED,
        WooEvent.Action.REDACTION_CHANGED,
        WooEvent.Action.REDACTION_ADDED,
        WooEvent.Action.EXTENDED,
        WooEvent.Action.CAPTURE_REMOVED,
    ):
        assert action in actions, action
    assert all(e.who == eva for e in woo.events.all())
    woo.refresh_from_db()
    assert woo.extended and woo.deadline == dt.date(2026, 4, 12)


def test_dashboard_sorts_by_deadline_and_marks_overdue(ministry, login):
    eva = ministry["eva"]
    today = dt.date.today()
    late = services.register(
        eva,
        reference="LATE",
        requester_name="a",
        requester_contact="a",
        received_on=today - dt.timedelta(weeks=5),
        subject="oud",
    )
    soon = services.register(
        eva,
        reference="SOON",
        requester_name="b",
        requester_contact="b",
        received_on=today - dt.timedelta(weeks=1),
        subject="nieuw",
    )
    rows = services.open_requests(today)
    assert [r.request for r in rows] == [late, soon]
    assert rows[0].overdue and rows[0].days_overdue == 7 and rows[1].days_left == 21
    page = login("eva").get(reverse("woo:dashboard")).content.decode()
    assert page.index("LATE") < page.index("SOON")
    assert 'data-testid="overdue"' in page and "Overdue by 7 days" in page


def woo_urls(woo, item=None, entry=None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    urls = [
        ("get", reverse("woo:dashboard")),
        ("get", reverse("woo:register")),
        ("get", reverse("woo:detail", args=[woo.pk])),
        ("get", reverse("woo:select", args=[woo.pk])),
        ("post", reverse("woo:extend", args=[woo.pk])),
        ("post", reverse("woo:status", args=[woo.pk])),
        ("post", reverse("woo:release", args=[woo.pk])),
    ]
    if item is not None and entry is not None:
        urls += [
            ("post", reverse("woo:remove-item", args=[woo.pk, item.pk])),
            ("post", reverse("woo:add-redaction", args=[woo.pk, item.pk])),
            ("post", reverse("woo:decide", args=[woo.pk, entry.pk])),
            ("post", reverse("woo:change", args=[woo.pk, entry.pk])),
        ]
    return urls


def test_policy_officer_gets_403_on_every_woo_url(ministry, captured, woo, login):
    services.add_captures(woo, ministry["eva"], [captured.reply])
    item = woo.items.get()
    entry = item.redactions.first()
    client = login("anna")
    for method, url in woo_urls(woo, item, entry):
        assert getattr(client, method)(url).status_code == 403, url
    assert woo.events.count() == len(WooEvent.objects.filter(request=woo))
    entry.refresh_from_db()
    assert entry.status == Redaction.Status.PROPOSED


def test_archivist_gets_200_on_the_woo_pages(ministry, captured, woo, login):
    services.add_captures(woo, ministry["eva"], [captured.reply])
    client = login("eva")
    for method, url in woo_urls(woo):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_workflow_through_the_pages(ministry, captured, login):
    client = login("eva")
    response = client.post(
        reverse("woo:register"),
        {
            "reference": "WOO-7",
            "requester_name": "R. Verzoeker",
            "requester_contact": "r@example.org",
            "received_on": "2026-03-01",
            "subject": "Dijk",
        },
    )
    woo = WooRequest.objects.get(reference="WOO-7")
    assert response["Location"] == reverse("woo:detail", args=[woo.pk])
    select = client.get(reverse("woo:select", args=[woo.pk]) + "?q=BSN").content.decode()
    assert f'value="{captured.reply.seq}"' in select
    client.post(reverse("woo:select", args=[woo.pk]), {"capture": [captured.reply.seq]})
    page = client.get(reverse("woo:detail", args=[woo.pk])).content.decode()
    assert 'data-category="bsn"' in page and "[gelakt: 5.1.1e]" in page
    bsn = Redaction.objects.get(item__request=woo, category="bsn")
    client.post(reverse("woo:decide", args=[woo.pk, bsn.pk]), {"decision": "accept"})
    bsn.refresh_from_db()
    assert bsn.status == Redaction.Status.ACCEPTED and bsn.decided_by == ministry["eva"]
    prefix = f"r{bsn.pk}"
    client.post(
        reverse("woo:change", args=[woo.pk, bsn.pk]),
        {f"{prefix}-start": bsn.start, f"{prefix}-end": bsn.end + 1, f"{prefix}-ground": "5.1.2e"},
    )
    bsn.refresh_from_db()
    assert bsn.ground == "5.1.2e"
    client.post(reverse("woo:extend", args=[woo.pk]), {"reason": "Veel materiaal"})
    woo.refresh_from_db()
    assert woo.extended and woo.deadline == dt.date(2026, 4, 12)
    blocked = client.post(reverse("woo:release", args=[woo.pk]))
    assert blocked.status_code == 302
    Redaction.objects.filter(item__request=woo, status="proposed").update(status="rejected")
    released = client.post(reverse("woo:release", args=[woo.pk]))
    assert released["Content-Type"] == "application/zip"
    assert released["Content-Disposition"].startswith("attachment")
