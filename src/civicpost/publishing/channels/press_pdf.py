"""The press release as PDF (reportlab), with an embedded TrueType font.

DejaVu Sans is used when the system has it (it covers Dutch and far beyond); otherwise the
Bitstream Vera font that ships with reportlab. A character the font cannot show is replaced by
its closest plain letter (``ő`` → ``o``) or by ``?``, never dropped silently or left as a box.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"),
        str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"),
    ),
)


@dataclass(frozen=True)
class PressDocument:
    """Everything printed on the release, already in the organisation's language."""

    organisation: str
    heading: str  # "PERSBERICHT"
    embargo_line: str  # empty once released
    title: str
    dateline: str  # "Den Haag, 1 april 2026"
    paragraphs: list[str]
    contact_heading: str  # "Noot voor de redactie"
    contact_lines: list[str]
    language: str


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    characters: frozenset[int]


@cache
def _fonts() -> _Fonts:
    for regular_path, bold_path in FONT_CANDIDATES:
        if Path(regular_path).is_file() and Path(bold_path).is_file():
            regular = TTFont("CivicpostSans", regular_path)
            bold = TTFont("CivicpostSans-Bold", bold_path)
            pdfmetrics.registerFont(regular)
            pdfmetrics.registerFont(bold)
            return _Fonts(
                "CivicpostSans", "CivicpostSans-Bold", frozenset(regular.face.charToGlyph)
            )
    raise RuntimeError("no TrueType font found for press release PDFs")


def printable(text: str) -> str:
    """``text`` with every character the embedded font lacks replaced (see module docstring)."""
    covered = _fonts().characters
    result: list[str] = []
    for char in text:
        if ord(char) in covered or char in "\n\t ":
            result.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        result.append(plain if plain and all(ord(c) in covered for c in plain) else "?")
    return "".join(result)


def _markup(text: str) -> str:
    # Paragraph() reads a small XML markup language: escape so the text stays text.
    return escape(printable(text)).replace("\n", "<br/>")


def build_pdf(document: PressDocument) -> bytes:
    fonts = _fonts()
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=11, leading=15, spaceAfter=8)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, spaceAfter=2)
    strong = ParagraphStyle("strong", parent=body, fontName=fonts.bold)
    title = ParagraphStyle("title", parent=strong, fontSize=17, leading=21, spaceAfter=10)
    header = ParagraphStyle("header", parent=strong, fontSize=13, leading=16, spaceAfter=2)

    story = [
        Paragraph(_markup(document.organisation), header),
        Paragraph(_markup(document.heading), small),
        Spacer(1, 6 * mm),
    ]
    if document.embargo_line:
        story.append(Paragraph(_markup(document.embargo_line), strong))
    story.append(Paragraph(_markup(document.title), title))
    story.append(Paragraph(_markup(document.dateline), body))
    story.extend(Paragraph(_markup(paragraph), body) for paragraph in document.paragraphs)
    if document.contact_lines:
        story.append(Spacer(1, 8 * mm))
        story.append(Paragraph(_markup(document.contact_heading), strong))
        story.extend(Paragraph(_markup(line), small) for line in document.contact_lines)

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=printable(document.title),
        author=printable(document.organisation),
        lang=document.language,
    )
    pdf.build(story)
    return buffer.getvalue()
