"""The archivist's destruction page: who gets in, what it lists, confirm before destroying."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from civicpost.archive.models import CaptureContent, Destruction
from civicpost.archive.services import verify
from civicpost.people import demo
from civicpost.people.models import Person
from tests.archive import retention_data
from tests.archive.retention_data import DueArchive

URL = "/archive/destruction/"
REASON = "Bewaartermijn verstreken, besluit DIV-2026-17"


@pytest.fixture
def due(ministry: dict[str, Person]) -> DueArchive:
    return retention_data.build(ministry)


def _rows(html: str, table: str) -> dict[int, str]:
    body = html.split(f'data-testid="{table}"', 1)[1].split("</table>", 1)[0]
    return {
        int(seq): row for seq, row in re.findall(r'<tr data-seq="(\d+)">(.*?)</tr>', body, re.S)
    }


def test_the_page_is_linked_from_the_archive(due: DueArchive, login: Any) -> None:
    assert reverse("archive:destruction") == URL
    page = login("eva").get(reverse("archive:search")).content.decode()
    assert f'href="{URL}"' in page and 'aria-label="Archive sections"' in page


@pytest.mark.parametrize("username", ["carla", "bram", "ivo", "anna"])
def test_only_archivists_may_decide(due: DueArchive, login: Any, username: str) -> None:
    client = login(username)
    client.cookies["civicpost_language"] = "en"  # they prefer Dutch; this reads the English text
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only archivists decide on the destruction" in response.content.decode()
    data = {"capture": [due.old_mention.seq], "reason": "x", "confirm": "yes"}
    assert client.post(URL, data).status_code == 403
    assert Destruction.objects.count() == 1
    assert URL not in client.get(reverse("archive:search")).content.decode()


def test_anonymous_is_sent_to_the_login(client: Client, due: DueArchive) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_lists_due_captures_with_rule_and_hold_and_past_decisions(
    due: DueArchive, login: Any
) -> None:
    html = login("eva").get(URL).content.decode()
    due_rows = _rows(html, "due")
    expected = [due.old_mention, due.old_reply, due.held_by_account, due.held_itself]
    assert list(due_rows) == [c.seq for c in expected]
    assert retention_data.MENTION_RULE in due_rows[due.old_mention.seq]
    assert retention_data.REPLY_RULE in due_rows[due.old_reply.seq]
    assert f'name="capture" value="{due.old_mention.seq}"' in due_rows[due.old_mention.seq]
    for held, reason in (
        (due.held_by_account, retention_data.ACCOUNT_HOLD),
        (due.held_itself, retention_data.CAPTURE_HOLD),
    ):
        assert reason in due_rows[held.seq]
        assert 'name="capture"' not in due_rows[held.seq]  # nothing to select: it is kept
    decisions = _rows(html, "decisions")
    assert list(decisions) == [due.destroyed.seq]
    assert "Eva Eilander" in decisions[due.destroyed.seq]
    assert retention_data.EARLIER_REASON in decisions[due.destroyed.seq]
    assert 'for="id_reason"' in html and "<caption" in html and 'scope="col"' in html


def test_the_page_follows_the_chosen_language(due: DueArchive, login: Any) -> None:
    client = login("eva")  # Eva prefers English
    client.post(reverse("set_language"), {"language": "nl", "next": URL})
    html = client.get(URL).content.decode()
    assert '<html lang="nl"' in html
    assert '<th scope="col">Vastgelegd</th>' in html  # a heading the catalogue already holds


def test_destroying_takes_a_reason_and_a_confirmation(due: DueArchive, login: Any) -> None:
    client = login("eva")
    picked = [due.old_mention.seq, due.old_reply.seq]
    response = client.post(URL, {"capture": picked, "reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for the destruction." in response.content.decode()
    response = client.post(URL, {"reason": REASON})
    assert "Select at least one capture to destroy." in response.content.decode()

    confirm = client.post(URL, {"capture": picked, "reason": REASON})
    page = confirm.content.decode()
    assert "Confirm the destruction" in page and REASON in page
    assert sorted(_rows(page, "to-destroy")) == picked
    assert 'name="confirm" value="yes"' in page
    assert Destruction.objects.count() == 1  # nothing destroyed before the confirmation
    assert CaptureContent.objects.filter(capture=due.old_mention).exists()

    done = client.post(URL, {"capture": picked, "reason": REASON, "confirm": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == URL
    assert "Captures destroyed: 2." in done.content.decode()
    decisions = Destruction.objects.filter(reason=REASON).select_related("decided_by")
    assert sorted(d.target.seq for d in decisions) == picked
    assert {d.decided_by.user.username for d in decisions} == {"eva"}
    assert not CaptureContent.objects.filter(capture__seq__in=picked).exists()
    assert verify().ok
    after = done.content.decode()
    assert set(_rows(after, "due")) == {due.held_by_account.seq, due.held_itself.seq}
    assert set(_rows(after, "decisions")) == {*picked, due.destroyed.seq}


def test_a_held_or_destroyed_capture_cannot_be_slipped_in(due: DueArchive, login: Any) -> None:
    client = login("eva")
    for seq in (due.held_itself.seq, due.destroyed.seq, due.new_reply.seq, due.old_post.seq):
        response = client.post(
            URL, {"capture": [due.old_mention.seq, seq], "reason": REASON, "confirm": "yes"}
        )
        assert response.status_code == 200
        assert f"These captures cannot be destroyed: #{seq}." in response.content.decode()
    assert Destruction.objects.count() == 1
    assert CaptureContent.objects.filter(capture=due.old_mention).exists()


def test_posting_needs_the_csrf_token(due: DueArchive) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="eva", password=demo.DEMO_PASSWORD)
    data = {"capture": [due.old_mention.seq], "reason": REASON, "confirm": "yes"}
    assert client.post(URL, data).status_code == 403
    assert Destruction.objects.count() == 1
    page = client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(URL, {**data, "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302 and Destruction.objects.count() == 2
