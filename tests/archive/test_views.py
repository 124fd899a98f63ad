"""The archive pages: who may see them, search filters, threads, sanitising, media."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicpost.archive import media as media_store
from civicpost.archive.sanitize import clean_html, safe_html
from civicpost.archive.services import CaptureInput, MediaInput, capture_many
from tests.woo.factories import (
    DELETED_ID,
    POST_ID,
    make_thread,
    organisational_account,
)


@pytest.fixture
def captured(ministry):  # type: ignore[no-untyped-def]
    return make_thread()


def archive_urls(captured) -> list[str]:  # type: ignore[no-untyped-def]
    account = captured.post.account_id
    return [
        reverse("archive:search"),
        reverse("archive:search") + "?q=dijk",
        reverse("archive:thread", args=[account, POST_ID]),
        reverse("archive:account", args=[account]),
        reverse("archive:capture", args=[captured.post.seq]),
    ]


@pytest.mark.parametrize("username", ["anna", "femke", "daan", "dirk"])
def test_others_get_403_on_every_archive_page(captured, login, username):
    client = login(username)
    for url in [*archive_urls(captured), reverse("archive:export", args=["jsonl"]) + "?account=1"]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("username", ["eva", "ivo", "carla", "bram"])
def test_archive_roles_get_200(captured, login, username):
    client = login(username)
    for url in archive_urls(captured):
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_the_login(client, captured):
    for url in archive_urls(captured):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_staff_without_person_may_see_the_archive(client, captured, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("archive:search")).status_code == 200


def test_nav_links_only_for_archive_roles(captured, login, client):
    assert "/archive/" in login("eva").get(reverse("web:start")).content.decode()
    client.logout()
    assert "/archive/" not in login("anna").get(reverse("web:start")).content.decode()


def _seqs(page: str) -> set[int]:
    import re

    return {int(s) for s in re.findall(r'<li class="cp-capture[^"]*" data-seq="(\d+)"', page)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=zandsuppletiefiasco", {"deleted"}),
        ("deleted=yes", {"deleted", "deletion"}),
        ("kind=version", {"version"}),
        ("kind=reply&deleted=no", {"reply", "hostile"}),
        ("q=dijk&kind=post", {"post"}),
        ("date_from=2026-03-02&date_to=2026-03-02&kind=reply", {"reply", "deleted", "hostile"}),
        ("date_from=2026-03-03", set()),
        ("has_media=yes", set()),
        ("language=nl&q=duinen", {"hostile"}),
    ],
)
def test_search_filters_through_the_page(captured, login, query, expected):
    page = login("eva").get(reverse("archive:search") + "?" + query).content.decode()
    assert _seqs(page) == {getattr(captured, name).seq for name in expected}


def test_account_filter_and_bad_dates_are_handled(captured, login):
    client = login("eva")
    account = organisational_account()
    page = client.get(reverse("archive:search") + f"?account={account.pk}").content.decode()
    assert len(_seqs(page)) == 6
    page = client.get(reverse("archive:search") + "?date_from=2026-05-01&date_to=2026-01-01")
    assert "The end date lies before the start date." in page.content.decode()


def _thirty_posts() -> None:
    account = organisational_account()
    capture_many(
        [
            CaptureInput(
                kind="post",
                account=account,
                remote_id=f"p{i}",
                payload={},
                provenance="harvest",
                text=f"bericht nummer {i}",
            )
            for i in range(30)
        ]
    )


def test_results_are_paginated_by_25(ministry, login):
    _thirty_posts()
    client = login("eva")
    first = client.get(reverse("archive:search") + "?q=bericht").content.decode()
    assert len(_seqs(first)) == 25 and "page=2" in first
    second = client.get(reverse("archive:search") + "?q=bericht&page=2").content.decode()
    assert len(_seqs(second)) == 5


def test_a_huge_result_says_more_than_and_still_pages(ministry, login, monkeypatch):
    """Past the counting cap the page does not count every match (a second on a million
    captures) but says "more than" and asks for a narrower search; paging still works."""
    from civicpost.archive import views

    monkeypatch.setattr(views, "COUNT_CAP", 27)
    _thirty_posts()
    client = login("eva")
    client.cookies["civicpost_language"] = "en"
    first = client.get(reverse("archive:search") + "?q=bericht").content.decode()
    assert "More than 27 captures found" in first and "30 captures" not in first
    assert "Page 1 of" not in first and "page=2" in first
    second = client.get(reverse("archive:search") + "?q=bericht&page=2").content.decode()
    assert len(_seqs(second)) == 3  # the cap counts 28: a second page of what was counted
    narrow = client.get(reverse("archive:search") + "?q=nummer+3").content.decode()
    assert "More than" not in narrow


def test_htmx_request_gets_only_the_results(captured, login):
    response = login("eva").get(reverse("archive:search") + "?q=dijk", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"') and "<html" not in page


def test_thread_marks_deletions_and_keeps_the_text(captured, login):
    page = (
        login("eva")
        .get(reverse("archive:thread", args=[captured.post.account_id, POST_ID]))
        .content.decode()
    )
    deleted_item = page.split(f'data-seq="{captured.deleted.seq}"')[1].split("</li>")[0]
    assert "Deleted on the platform" in deleted_item
    assert "Wat een zandsuppletiefiasco is dit." in deleted_item
    reply_item = page.split(f'data-seq="{captured.reply.seq}"')[1].split("</li>")[0]
    assert "Deleted on the platform" not in reply_item
    # The edit is shown as a word diff against the first text.
    assert '<ins class="cp-ins">dit najaar</ins>' in page
    assert "cp-depth-2" in page  # the hostile reply answers a reply


def test_thread_of_a_remote_id_with_colons_and_slashes(captured, login):
    url = reverse("archive:thread", args=[captured.post.account_id, DELETED_ID])
    page = login("eva").get(url).content.decode()
    assert "Wat een zandsuppletiefiasco" in page
    assert 'data-testid="deletion-event"' in page


def test_unknown_thread_is_404(captured, login):
    url = reverse("archive:thread", args=[captured.post.account_id, "nope"])
    assert login("eva").get(url).status_code == 404


def test_hostile_html_is_sanitised_in_thread_and_search(captured, login):
    client = login("eva")
    for url in (
        reverse("archive:thread", args=[captured.post.account_id, POST_ID]),
        reverse("archive:search") + "?q=duinen",
    ):
        page = client.get(url).content.decode()
        assert "<strong>duinen</strong>" in page
        assert "window.pwned" not in page and "onerror" not in page and "javascript:" not in page


def test_capture_detail_shows_hashes_provenance_and_process(captured, login):
    page = login("eva").get(reverse("archive:capture", args=[captured.post.seq])).content.decode()
    for value in (captured.post.content_hash, captured.post.prev_hash, captured.post.chain_hash):
        assert value in page
    assert "Captured at publication" in page
    assert 'data-testid="process"' in page and "Anna de Vries" in page


def test_media_is_served_with_its_type(ministry, login):
    account = organisational_account()
    (capture,) = capture_many(
        [
            CaptureInput(
                kind="post",
                account=account,
                remote_id="m1",
                payload={},
                provenance="harvest",
                text="kaart",
                media=[
                    MediaInput(b"\x89PNG\r\n\x1a\nfake", "image/png", alt_text="Kaart van de dijk"),
                    MediaInput(b"%PDF-1.4", "application/pdf"),
                ],
            )
        ]
    )
    client = login("eva")
    page = client.get(reverse("archive:capture", args=[capture.seq])).content.decode()
    assert "Kaart van de dijk" in page
    image = client.get(reverse("archive:media", args=[capture.seq, 0]))
    assert image["Content-Type"] == "image/png" and "attachment" not in image.get(
        "Content-Disposition", ""
    )
    stored = media_store.read(capture.media_links.first().media_id)
    assert b"".join(image.streaming_content) == stored
    pdf = client.get(reverse("archive:media", args=[capture.seq, 1]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("archive:media", args=[capture.seq, 7])).status_code == 404


def test_export_without_an_exporter_says_so(captured, login):
    client = login("eva")
    url = reverse("archive:export", args=["wacz"]) + f"?account={captured.post.account_id}"
    response = client.get(url + f"&remote_id={POST_ID}")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].startswith("/archive/thread/")
    else:
        assert response["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("archive:export", args=["exe"]) + "?account=1").status_code == 404


HOSTILE = [
    ("<script>alert(1)</script>hallo", "hallo"),
    ('<img src=x onerror="alert(1)">', ""),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="nofollow noopener noreferrer">x</a>'),
    (
        '<a href="https://e.org" onclick="x()">e</a>',
        '<a href="https://e.org" rel="nofollow noopener noreferrer">e</a>',
    ),
    ('<iframe src="https://evil.example"></iframe>ok', "ok"),
    ("<style>body{display:none}</style>tekst", "tekst"),
    ('<p style="color:red" class="x">p</p>', "<p>p</p>"),
    ("<svg><script>alert(1)</script></svg>z", "z"),
    ('<span onmouseover="x()">s</span>', "<span>s</span>"),
    ("<blockquote><em>q</em></blockquote>", "<blockquote><em>q</em></blockquote>"),
    ("<ul><li>a</li></ul><ol><li>b</li></ol>", "<ul><li>a</li></ul><ol><li>b</li></ol>"),
    ("<p>a<br>b</p>", "<p>a<br>b</p>"),
    ("<!-- <script>x</script> -->c", "c"),
    ('<form action="/x"><input name="q"></form>f', "f"),
    (
        '<a href="data:text/html,<script>alert(1)</script>">d</a>',
        '<a rel="nofollow noopener noreferrer">d</a>',
    ),
]


@pytest.mark.parametrize(("hostile", "expected"), HOSTILE)
def test_sanitiser_table(hostile, expected):
    assert clean_html(hostile) == expected


def test_plain_text_is_escaped_not_trusted():
    assert str(safe_html("", "<b>x</b>\nregel")) == "<p>&lt;b&gt;x&lt;/b&gt;<br>regel</p>"


def test_a_trailing_star_finds_words_starting_with_it(ministry, login):
    """On SQLite and PostgreSQL alike: "dijkverst*" finds "dijkversterking"."""
    account = organisational_account()
    capture_many(
        [
            CaptureInput(
                kind="post",
                account=account,
                remote_id=remote_id,
                payload={},
                provenance="harvest",
                text=text,
            )
            for remote_id, text in [
                ("a", "De dijkversterking bij Katwijk begint in maart."),
                ("b", "De dijk bij Petten is dicht."),
            ]
        ]
    )
    client = login("eva")
    found = client.get(reverse("archive:search") + "?q=dijkverst*").content.decode()
    assert "dijkversterking bij Katwijk" in found and "bij Petten" not in found
    exact = client.get(reverse("archive:search") + "?q=dijkverst").content.decode()
    assert "dijkversterking bij Katwijk" not in exact
