"""The website/blog adapter: pages and an index written to a folder."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from civicpost.publishing.channels.base import MediaItem, OutgoingPost, adapter_class
from civicpost.publishing.channels.website import WebsiteAdapter


class _Outline(HTMLParser):
    """What a reader (or a screen reader) finds on a page: landmarks, headings, links, images."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.html_lang = ""
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts = 0
        self.open: list[str] = []
        self.paragraphs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append(tag)
        self.open.append(tag)
        if tag == "html":
            self.html_lang = attributes.get("lang") or ""
        if tag == "img":
            self.images.append(attributes)
            self.open.pop()
        if tag == "br" or tag == "meta" or tag == "link":
            self.open.pop()
        if tag == "a":
            self.links.append((attributes.get("href") or "", ""))
        if tag == "script":
            self.scripts += 1
        if tag == "p":
            self.paragraphs += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "h1":
            self.h1.append(data)
        if self.open and self.open[-1] == "a" and self.links:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def _outline(path: Path) -> _Outline:
    outline = _Outline()
    outline.feed(path.read_text("utf-8"))
    outline.close()
    assert outline.open == [], f"unclosed elements: {outline.open}"
    return outline


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def site(tmp_path: Path) -> WebsiteAdapter:
    adapter = adapter_class("website")(
        {
            "output_dir": str(tmp_path / "site"),
            "base_url": "https://www.example.nl/nieuws",
            "organisation": "Ministerie van Waterzaken",
        },
        {},
    )
    assert isinstance(adapter, WebsiteAdapter)
    return adapter


def test_publish_two_posts_writes_pages_media_and_index_newest_first(
    site: WebsiteAdapter,
) -> None:
    first = site.publish(
        OutgoingPost(
            title="Inspraakavond",
            text="Kom op 12 maart.\n\nMeer op https://www.example.nl/inspraak.",
            idempotency_key="k-first",
            media=(MediaItem(_png(), "image/png", "Zaal met publiek", "zaal.png"),),
        )
    )
    second = site.publish(
        OutgoingPost(title="Dijkversterking begint", text="Maandag.", idempotency_key="k-second")
    )

    root = site.store.root
    page = root / first.remote_id / "index.html"
    assert page.is_file() and (root / first.remote_id / "image-1.png").read_bytes() == _png()
    assert first.permalink == f"https://www.example.nl/nieuws/{first.remote_id}/"

    outline = _outline(page)
    assert outline.html_lang == "nl"
    assert "main" in outline.tags and "header" in outline.tags and "footer" in outline.tags
    assert outline.h1 == ["Inspraakavond"]
    assert outline.paragraphs >= 3  # date line and two paragraphs of text
    assert ("https://www.example.nl/inspraak", "https://www.example.nl/inspraak") in outline.links
    assert outline.images == [{"src": "image-1.png", "alt": "Zaal met publiek"}]
    assert "Gepubliceerd op" in page.read_text("utf-8")

    index = (root / "index.html").read_text("utf-8")
    assert index.index("Dijkversterking begint") < index.index("Inspraakavond")
    assert f"/{second.remote_id}/" in index
    assert _outline(root / "index.html").h1 == ["Nieuws"]


def test_text_is_escaped_never_injected(site: WebsiteAdapter) -> None:
    published = site.publish(
        OutgoingPost(
            title="<script>alert(1)</script>",
            text='Hallo <script>alert("x")</script> & <b>vet</b>',
            idempotency_key="k-xss",
        )
    )
    html = (site.store.root / published.remote_id / "index.html").read_text("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html
    assert _outline(site.store.root / published.remote_id / "index.html").scripts == 0
    assert _outline(site.store.root / "index.html").scripts == 0


def test_publish_again_with_the_same_key_gives_the_same_page(site: WebsiteAdapter) -> None:
    post = OutgoingPost(title="Eén keer", text="Tekst.", idempotency_key="k-once")
    assert site.find_published("k-once", post.text) is None
    first = site.publish(post)
    assert site.publish(post).remote_id == first.remote_id
    found = site.find_published("k-once", post.text)
    assert found is not None and found.remote_id == first.remote_id
    assert len(list(site.fetch_own_posts())) == 1


def test_edit_rewrites_the_page_and_delete_removes_it(site: WebsiteAdapter) -> None:
    published = site.publish(OutgoingPost(title="Oud", text="Eerste.", idempotency_key="k-e"))
    edited = site.edit(
        published.remote_id, OutgoingPost(title="Nieuw", text="Tweede.", idempotency_key="k-e")
    )
    page = site.store.root / published.remote_id / "index.html"
    assert "Tweede." in page.read_text("utf-8") and "Eerste." not in page.read_text("utf-8")
    assert "Bijgewerkt op" in page.read_text("utf-8")
    assert edited.edited_at is not None
    assert "Nieuw" in (site.store.root / "index.html").read_text("utf-8")

    site.delete(published.remote_id)

    assert not page.exists()
    assert published.remote_id not in (site.store.root / "index.html").read_text("utf-8")
    assert list(site.fetch_own_posts()) == []


def test_fetch_own_posts_reads_the_folder_back(site: WebsiteAdapter) -> None:
    site.publish(OutgoingPost(title="A", text="Alpha.", idempotency_key="k-a", language="en"))
    [post] = site.fetch_own_posts()
    assert post.text == "Alpha." and post.language == "en"
    assert 'lang="en"' in post.html


def test_english_site_speaks_english(tmp_path: Path) -> None:
    adapter = adapter_class("website")(
        {"output_dir": str(tmp_path), "base_url": "", "language": "en"}, {}
    )
    adapter.publish(OutgoingPost(title="Hello", text="World.", idempotency_key="k-en"))
    index = tmp_path / "index.html"
    assert _outline(index).html_lang == "en"
    assert "News" in index.read_text("utf-8")
