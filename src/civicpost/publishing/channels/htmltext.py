"""Plain text from the small HTML fragments platforms return for a post's content.

Only for comparing and archiving the text; never used to display remote HTML (that is
sanitised elsewhere before display).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.chunks.append("\n")
        elif tag == "p" and self.chunks:
            self.chunks.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: paragraphs become blank lines, ``<br>`` a newline."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.chunks).strip()


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same post text, ignoring whitespace differences."""
    return _squash(a) == _squash(b)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
