"""The demo archive that ``civicpost demo`` loads tells the README's walk-through story."""

from __future__ import annotations

from civicpost.archive import services
from civicpost.archive.demo import load_demo_archive
from civicpost.archive.models import Capture

ROOT = "https://social.example/users/waterveiligheid/statuses/111000000000000001"


def test_demo_archive_holds_a_deleted_answer_in_its_thread(ministry):
    assert load_demo_archive() is True
    assert load_demo_archive() is False  # never twice
    assert services.verify().ok
    found = [c for c in services.search(services.SearchQuery(text="zandsuppletie")) if c.deleted]
    assert len(found) == 1
    answer = found[0]
    thread = services.thread(answer.account_id, ROOT)
    assert (2, answer.remote_id, True) in [(d, c.remote_id, c.deleted) for d, c in thread.replies]


def test_demo_archive_is_only_loaded_into_an_empty_archive(ministry, make_capture):
    services.capture(make_capture("post", "own"))
    assert load_demo_archive() is False
    assert Capture.objects.count() == 1
