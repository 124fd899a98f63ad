"""Importing platform exports into the archive: Mastodon archives and Bluesky repositories."""

from __future__ import annotations

import json
import shutil
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from civicpost.archive import media as media_store
from civicpost.archive.importers import bluesky, mastodon
from civicpost.archive.importers.common import ImportProblem, find_account, html_to_text
from civicpost.archive.models import Capture, CaptureContent, CaptureMedia, ChainHead
from civicpost.archive.search import thread
from civicpost.archive.verify import verify
from civicpost.people.models import Account
from tests.archive.fixtures import make_car, make_mastodon

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "mastodon-export"
HANDLE = "@waterveiligheid@social.example"


@pytest.fixture(autouse=True)
def _media_dir(settings: Any, tmp_path: Path) -> None:
    # Media files of each test in their own folder, so a tampering test harms no other.
    settings.CIVICPOST_DATA_DIR = tmp_path / "data"


@pytest.fixture
def account(ministry: Any) -> Account:
    return find_account(HANDLE, "mastodon")


def content(remote_id: str, kind: str = "post") -> dict[str, Any]:
    capture = Capture.objects.get(remote_id=remote_id, kind=kind)
    return dict(json.loads(capture.content.content))


def test_html_to_text_keeps_words_links_and_paragraphs() -> None:
    html = (
        '<p>Eerste &amp; <a href="https://x.example/a"><span class="invisible">https://</span>'
        '<span class="">x.example/a</span></a></p><p>Tweede<br />regel</p>'
    )
    assert html_to_text(html) == "Eerste & https://x.example/a\n\nTweede\nregel"
    assert html_to_text("") == ""
    assert html_to_text("<script>alert(1)</script>tekst") == "tekst"


def test_mastodon_archive_becomes_captures(account: Account) -> None:
    report = mastodon.import_archive(EXPORT, account)

    assert report.imported == 8  # six notes, one boost, one deletion
    assert report.duplicates == 0
    assert dict(report.skipped) == {"activity type Like": 1}
    assert report.media_stored == 1 and report.media_missing == 0
    assert Capture.objects.filter(account=account, kind="post").count() == 7
    assert Capture.objects.filter(account=account, kind="deletion").count() == 1

    for row in CaptureContent.objects.all():
        assert "<" not in row.text and "&amp;" not in row.text
    first = content(make_mastodon.status_id(1))
    assert first["text"].startswith("De stormvloedkering is vanavond gesloten.\n\n")
    assert "https://www.dijkenduinen.example/storm" in first["text"]
    assert first["html"].startswith("<p>De stormvloedkering")
    assert first["language"] == "nl" and first["visibility"] == "public"
    assert first["permalink"] == "https://social.example/@waterveiligheid/110000000000000001"
    assert first["created_at"] == "2024-11-02T18:00:00Z"
    assert first["author_handle"] == HANDLE
    assert first["provenance"] == "import"
    assert first["payload"]["type"] == "Create"  # the raw activity

    reply = content(make_mastodon.status_id(3))
    assert reply["in_reply_to"] == make_mastodon.status_id(1)
    assert "06.00 uur weer open. & de veerdienst" in reply["text"]
    warned = content(make_mastodon.status_id(4))
    assert warned["content_warning"] == "Beelden van schade"
    assert warned["visibility"] == "unlisted"
    english = content(make_mastodon.status_id(5))
    assert english["language"] == "en" and english["visibility"] == "private"

    boost = content(make_mastodon.status_id(7))
    assert boost["quote_of"] == "https://knmi.example/users/weer/statuses/99"
    assert boost["extra"] == {"boost": True}
    deletion = content(make_mastodon.status_id(8), kind="deletion")
    assert deletion["payload"]["object"]["type"] == "Tombstone"

    image = Capture.objects.get(remote_id=make_mastodon.status_id(2))
    link = CaptureMedia.objects.get(capture=image)
    assert link.alt_text == make_mastodon.IMAGE_ALT
    assert link.media.mime_type == "image/png"
    assert media_store.read(link.media_id) == make_mastodon.tiny_png()
    assert image.content.has_media
    assert "Alle schuiven zijn dicht." in image.content.text

    checked = verify()
    assert checked.ok, checked.problems
    assert checked.checked == 8 and checked.media_checked == 1


def test_zip_and_tar_exports_add_nothing_twice(account: Account, tmp_path: Path) -> None:
    archive = tmp_path / "archive-20241105.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in EXPORT.rglob("*"):
            if path.is_file():
                # Wrapped in a top folder, as downloaded archives often are.
                bundle.write(path, f"archive-20241105/{path.relative_to(EXPORT).as_posix()}")
    first = mastodon.import_archive(archive, account)
    assert first.imported == 8 and first.media_stored == 1

    tarball = tmp_path / "archive.tar.gz"
    with tarfile.open(tarball, "w:gz") as bundle:
        bundle.add(EXPORT, arcname=".")
    again = mastodon.import_archive(tarball, account)
    assert again.imported == 0 and again.duplicates == 8
    folder = mastodon.import_archive(EXPORT, account)
    assert folder.imported == 0 and folder.duplicates == 8
    assert Capture.objects.count() == 8
    assert verify().ok


def test_personal_accounts_are_refused(ministry: Any) -> None:
    with pytest.raises(ImportProblem, match=r"personal account.*P-02"):
        find_account("@carla@social.example", "mastodon")
    with pytest.raises(ImportProblem, match="Organisational mastodon accounts: .*waterveiligheid"):
        find_account("@nobody@social.example", "mastodon")
    # The handle without its leading @ is the same account.
    assert find_account("waterveiligheid@social.example", "mastodon").handle == HANDLE


def test_export_of_another_actor_is_refused(ministry: Any) -> None:
    other = find_account("@dijkenduinen@social.example", "mastodon")
    with pytest.raises(ImportProblem, match="belongs to 'waterveiligheid'"):
        mastodon.import_archive(EXPORT, other)
    assert not Capture.objects.exists()


def test_not_an_export_is_a_clear_problem(account: Account, tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="holds no outbox.json"):
        mastodon.import_archive(tmp_path, account)
    broken = tmp_path / "broken"
    shutil.copytree(EXPORT, broken)
    (broken / "outbox.json").write_text("{not json")
    with pytest.raises(ImportProblem, match="not valid JSON"):
        mastodon.import_archive(broken, account)


def test_interrupted_import_keeps_whole_batches(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    original = ChainHead.save

    def failing(self: ChainHead, *args: Any, **kwargs: Any) -> None:
        # The last write of an append: the batch's captures and contents are already in.
        if kwargs.get("update_fields"):  # moving the head on, not creating it
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("process killed")
        original(self, *args, **kwargs)

    monkeypatch.setattr(ChainHead, "save", failing)
    with pytest.raises(RuntimeError, match="process killed"):
        mastodon.import_archive(EXPORT, account, batch_size=3)
    monkeypatch.undo()

    assert Capture.objects.count() == 3
    assert CaptureContent.objects.count() == 3  # every capture has its content
    assert not Capture.objects.filter(content__isnull=True).exists()
    assert verify().ok

    rest = mastodon.import_archive(EXPORT, account, batch_size=3)
    assert rest.imported == 5 and rest.duplicates == 3
    assert list(Capture.objects.values_list("seq", flat=True)) == list(range(1, 9))
    assert verify().ok


def test_received_replies_and_mentions(account: Account) -> None:
    mastodon.import_archive(EXPORT, account)
    report = mastodon.import_replies(FIXTURES / "replies.jsonl", account)
    assert report.imported == 3
    assert dict(report.skipped) == {"own status (import it from the outbox)": 1}

    first_reply = Capture.objects.get(remote_id="https://kust.example/users/jan/statuses/200")
    assert first_reply.kind == "reply"
    assert first_reply.content.in_reply_to == make_mastodon.status_id(1)
    assert first_reply.content.author_handle == "@jan@kust.example"
    answer = Capture.objects.get(remote_id="https://polder.example/users/piet/statuses/201")
    assert answer.content.in_reply_to == first_reply.remote_id
    mention = Capture.objects.get(remote_id="https://duin.example/users/els/statuses/202")
    assert mention.kind == "mention" and mention.content.in_reply_to == ""
    assert mention.content.text == "@waterveiligheid wanneer is de inloopavond?"

    found = thread(account.pk, make_mastodon.status_id(1))
    assert found.root is not None
    listed = [(depth, capture.remote_id) for depth, capture in found.replies]
    assert (1, make_mastodon.status_id(3)) in listed  # the account's own follow-up
    assert (1, first_reply.remote_id) in listed
    assert (2, answer.remote_id) in listed

    again = mastodon.import_replies(FIXTURES / "replies.jsonl", account)
    assert again.imported == 0 and again.duplicates == 3
    assert verify().ok


@pytest.fixture
def bluesky_account(ministry: Any) -> Account:
    return find_account("@dijkenduinen.bsky.example", "bluesky")


def test_bluesky_repository_with_blobs(bluesky_account: Account) -> None:
    car = FIXTURES / "bluesky-repo.car"
    report = bluesky.import_repo(car, bluesky_account, blobs=FIXTURES / "bluesky-blobs")
    assert report.imported == 5  # four posts and one repost
    assert dict(report.skipped) == {
        "collection app.bsky.feed.like": 1,
        "collection app.bsky.actor.profile": 1,
    }
    assert report.media_stored == 1 and report.media_missing == 0

    did = make_car.DID
    first_uri = f"at://{did}/app.bsky.feed.post/3lbcd2a0000a2"
    first = Capture.objects.get(remote_id=first_uri)
    assert first.seq == 1  # oldest first
    assert first.content.text == "De stormvloedkering is vanavond gesloten."
    assert first.content.permalink == f"https://bsky.app/profile/{did}/post/3lbcd2a0000a2"
    assert first.content.language == "nl"
    reply = Capture.objects.get(remote_id=f"at://{did}/app.bsky.feed.post/3lbcd2c0000a2")
    assert reply.content.in_reply_to == first_uri
    assert [c.remote_id for _, c in thread(bluesky_account.pk, first_uri).replies] == [
        reply.remote_id
    ]

    image = Capture.objects.get(remote_id=f"at://{did}/app.bsky.feed.post/3lbcd2b0000a2")
    link = CaptureMedia.objects.get(capture=image)
    assert link.alt_text == make_car.ALT
    assert media_store.read(link.media_id) == make_mastodon.tiny_png(3, 3)

    labelled = content(f"at://{did}/app.bsky.feed.post/3lbcd2d0000a2")
    assert labelled["content_warning"] == "graphic-media"
    assert labelled["quote_of"] == "at://did:plc:knmi/app.bsky.feed.post/3kxyz"
    repost = content(f"at://{did}/app.bsky.feed.repost/3lbcd2e0000a2")
    assert repost["quote_of"] == "at://did:plc:knmi/app.bsky.feed.post/3kabc"
    assert repost["extra"] == {"boost": True}

    again = bluesky.import_repo(car, bluesky_account, blobs=FIXTURES / "bluesky-blobs")
    assert again.imported == 0 and again.duplicates == 5
    assert verify().ok


def test_bluesky_without_blobs_keeps_references(bluesky_account: Account) -> None:
    report = bluesky.import_repo(FIXTURES / "bluesky-repo.car", bluesky_account)
    assert report.imported == 5 and report.media_missing == 1
    assert not CaptureMedia.objects.exists()
    image = content(f"at://{make_car.DID}/app.bsky.feed.post/3lbcd2b0000a2")
    listed = image["payload"]["value"]["embed"]["images"][0]
    assert listed["alt"] == make_car.ALT
    assert listed["image"]["ref"]["$link"].startswith("bafkrei")
    assert image["media"] == []


def test_bluesky_refuses_what_is_not_a_repository(bluesky_account: Account, tmp_path: Path) -> None:
    bogus = tmp_path / "repo.car"
    bogus.write_bytes(b"not a car file")
    with pytest.raises(ImportProblem, match="not a readable CAR"):
        bluesky.import_repo(bogus, bluesky_account)
    with pytest.raises(ImportProblem, match="personal account"):
        find_account("@anna-dijkwerk.bsky.example", "bluesky")
