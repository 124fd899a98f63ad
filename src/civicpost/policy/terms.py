"""Every term of every rule and list, compiled into one regular expression.

Terms are literal phrases (``*`` at the end lets the word continue: ``idiot*``). They are
normalised like draft text and merged into a single trie-shaped pattern, so one scan of a
draft finds every term of every rule; a match is then looked up to learn which term sets
(named lists or a rule's own terms) it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from civicpost.policy.normalize import normalise_term

_END = "\x00end"
_WILD = "\x00wild"

Trie = dict[str, "Trie"]


def _escape(char: str) -> str:
    if char == " ":
        return r"\s+"
    return re.escape(char)


def _trie_pattern(node: Trie) -> str:
    branches: list[str] = []
    optional = False
    for key in sorted(node):
        if key == _END:
            optional = True
        elif key == _WILD:
            continue
        else:
            branches.append(_escape(key) + _trie_pattern(node[key]))
    if _WILD in node:
        branches.append(r"\w*")
        optional = False  # \w* already matches the empty string
    if not branches:
        return ""
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")


def build_pattern(terms: Iterable[str]) -> str:
    """A regex source matching any of ``terms`` (already normalised) as whole words."""
    trie: Trie = {}
    for term in terms:
        wild = term.endswith("*")
        body = term[:-1] if wild else term
        if not body:
            continue
        node = trie
        for char in body:
            node = node.setdefault(char, {})
        node.setdefault(_WILD if wild else _END, {})
    if not trie:
        return r"(?!x)x"
    return r"(?<!\w)" + _trie_pattern(trie) + r"(?!\w)"


class TermIndex:
    """Term sets by id, compiled into one pattern; ``find`` returns hits per set id."""

    def __init__(self) -> None:
        self._sets: dict[str, list[str]] = {}
        self._exact: dict[str, set[str]] = {}
        self._prefix: dict[str, set[str]] = {}
        self._pattern: re.Pattern[str] | None = None
        self._lookup_cache: dict[str, set[str]] = {}
        self._match_cache: dict[str, tuple[str, ...]] = {}

    def add(self, set_id: str, terms: Iterable[str]) -> None:
        """Add terms to a set (creating it); call before ``compile``."""
        bucket = self._sets.setdefault(set_id, [])
        for raw in terms:
            term = normalise_term(raw)
            if raw.rstrip().endswith("*") and not term.endswith("*"):
                term += "*"
            if term and term != "*":
                bucket.append(term)
        self._pattern = None

    def has(self, set_id: str) -> bool:
        return set_id in self._sets

    def terms(self, set_id: str) -> list[str]:
        return list(self._sets.get(set_id, []))

    def compile(self) -> None:
        self._lookup_cache.clear()
        self._match_cache.clear()
        self._exact.clear()
        self._prefix.clear()
        for set_id, terms in self._sets.items():
            for term in terms:
                if term.endswith("*"):
                    self._prefix.setdefault(term[:-1], set()).add(set_id)
                else:
                    self._exact.setdefault(term, set()).add(set_id)
        all_terms = {t for terms in self._sets.values() for t in terms}
        self._pattern = re.compile(build_pattern(sorted(all_terms)))

    def _sets_for(self, key: str) -> set[str]:
        cached = self._lookup_cache.get(key)
        if cached is not None:
            return cached
        found = self._lookup(key)
        if len(self._lookup_cache) < 50_000:
            self._lookup_cache[key] = found
        return found

    def _lookup(self, key: str) -> set[str]:
        found: set[str] = set()
        exact = self._exact.get(key)
        if exact:
            found |= exact
        if " " in key:
            # Shorter terms hidden inside a longer match ("embargo" in "embargo op").
            words = key.split(" ")
            for i in range(len(words)):
                for j in range(i + 1, len(words) + 1):
                    if j - i < len(words):
                        shorter = self._exact.get(" ".join(words[i:j]))
                        if shorter:
                            found |= shorter
        for prefix, ids in self._prefix.items():
            if key.startswith(prefix):
                found |= ids
        return found

    def find(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Spans (in ``text`` offsets) of every term, grouped by term set id."""
        if self._pattern is None:
            self.compile()
        assert self._pattern is not None
        hits: dict[str, list[tuple[int, int]]] = {}
        by_text = self._match_cache
        for match in self._pattern.finditer(text):
            # Matches repeat across drafts; look them up as written before normalising spaces.
            written = match.group()
            ids = by_text.get(written)
            if ids is None:
                ids = tuple(sorted(self._sets_for(" ".join(written.split()))))
                if len(by_text) < 50_000:
                    by_text[written] = ids
            span = match.span()
            for set_id in ids:
                found = hits.get(set_id)
                if found is None:
                    hits[set_id] = [span]
                else:
                    found.append(span)
        return hits
