"""Press releases: HTML and PDF with header, embargo line and contact block; release at time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from civicpost.publishing.channels.base import OutgoingPost, adapter_class
from civicpost.publishing.channels.press_release import PressReleaseAdapter, release_due

AMSTERDAM = dt.timezone(dt.timedelta(hours=2))  # summer time, as the embargo is stated


def _settings(folder: Path, language: str = "nl") -> dict[str, str]:
    return {
        "output_dir": str(folder),
        "base_url": "https://www.example.nl/pers",
        "organisation": "Ministerie van Waterzaken",
        "place": "Den Haag",
        "contact_name": "Sanne de Vries",
        "contact_phone": "070 123 45 67",
        "contact_email": "pers@example.nl",
        "language": language,
    }


@pytest.fixture
def press(tmp_path: Path) -> PressReleaseAdapter:
    adapter = adapter_class("press-release")(_settings(tmp_path / "pers"), {})
    assert isinstance(adapter, PressReleaseAdapter)
    return adapter


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _embargoed_release(press: PressReleaseAdapter, embargo: dt.datetime) -> str:
    published = press.publish(
        OutgoingPost(
            title="Kabinet investeert in dijkversterking",
            text="Het kabinet trekt € 200 miljoen uit voor dijken.\n\n"
            "De coöperatie van waterschappen is tevreden.",
            idempotency_key="k-release",
            embargo_until=embargo,
        )
    )
    return published.remote_id


def test_embargoed_release_pdf_has_title_embargo_and_contact(press: PressReleaseAdapter) -> None:
    embargo = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).replace(microsecond=0)
    embargo += dt.timedelta(days=2)
    slug = _embargoed_release(press, embargo)

    text = _pdf_text(press.store.root / slug / f"{slug}.pdf")

    assert "Ministerie van Waterzaken" in text
    assert "PERSBERICHT" in text
    assert "Kabinet investeert in dijkversterking" in text
    assert f"EMBARGO tot {embargo.day} " in text and f"{embargo:%H:%M}" in text
    assert "Den Haag," in text
    assert "coöperatie" in text and "€ 200 miljoen" in text
    assert "Noot voor de redactie" in text
    assert "Sanne de Vries" in text
    assert "070 123 45 67" in text and "pers@example.nl" in text


def test_embargoed_release_is_not_listed_until_release_due(press: PressReleaseAdapter) -> None:
    embargo = dt.datetime(2030, 6, 1, 9, 0, tzinfo=AMSTERDAM)
    slug = _embargoed_release(press, embargo)
    page = press.store.root / slug / "index.html"
    index = press.store.root / "index.html"

    assert "EMBARGO tot 1 juni 2030 09:00" in page.read_text("utf-8")
    assert slug not in index.read_text("utf-8")
    [stored] = press.fetch_own_posts()
    assert stored.raw["status"] == "embargoed"

    assert release_due(press.settings, embargo - dt.timedelta(minutes=1)) == []
    assert "EMBARGO" in page.read_text("utf-8")

    [released] = release_due(press.settings, embargo + dt.timedelta(seconds=1))

    assert released.remote_id == slug and released.raw["status"] == "published"
    assert "EMBARGO" not in page.read_text("utf-8")
    assert "EMBARGO" not in _pdf_text(press.store.root / slug / f"{slug}.pdf")
    assert f"/{slug}/" in index.read_text("utf-8")
    assert release_due(press.settings, embargo + dt.timedelta(days=1)) == []  # only once


def test_release_without_embargo_is_listed_at_once(press: PressReleaseAdapter) -> None:
    published = press.publish(
        OutgoingPost(title="Nieuwe minister", text="Vandaag.", idempotency_key="k-now")
    )
    assert published.raw["status"] == "published"
    assert "EMBARGO" not in published.html
    assert f"/{published.remote_id}/" in (press.store.root / "index.html").read_text("utf-8")
    html = published.html
    assert "<main" in html and "<h1>Nieuwe minister</h1>" in html
    assert "Noot voor de redactie" in html and "pers@example.nl" in html


def test_text_outside_the_font_does_not_break_the_pdf(press: PressReleaseAdapter) -> None:
    published = press.publish(
        OutgoingPost(
            title="Samenwerking met 東京",
            text="Groeten uit Tōkyō 🌊 en <b>niet vet</b>.",
            idempotency_key="k-wide",
        )
    )
    text = _pdf_text(press.store.root / published.remote_id / f"{published.remote_id}.pdf")
    assert "Samenwerking met" in text
    assert "<b>niet vet</b>" in text  # markup stays text


def test_english_release_uses_english_wording(tmp_path: Path) -> None:
    adapter = adapter_class("press-release")(_settings(tmp_path, "en"), {})
    embargo = dt.datetime(2031, 1, 2, 10, 30, tzinfo=dt.UTC)
    published = adapter.publish(
        OutgoingPost(title="Budget", text="Text.", idempotency_key="k-en", embargo_until=embargo)
    )
    text = _pdf_text(tmp_path / published.remote_id / f"{published.remote_id}.pdf")
    assert "PRESS RELEASE" in text and "EMBARGO until 2 January 2031 11:30" in text
    assert "Note to editors" in text
