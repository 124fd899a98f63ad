"""Cheap tests that rule out a regular expression before it scans a draft.

A policy has dozens of patterns and a draft matches few of them. Scanning a draft with a
regex in Python's engine costs a few microseconds each, while finding a literal in it costs
next to nothing. So each pattern is parsed once and, when every match must contain one of a
few literal strings (``\\bwordt\\s+...`` needs "wordt"), or must start with a non-ASCII
character, the pattern only runs on drafts that pass that test. The analysis is
conservative: anything it does not understand gives no test, and the pattern always runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any


@dataclass(frozen=True, slots=True)
class Gate:
    """What a text needs for a pattern to match in it: one of ``needles``, or (when
    ``non_ascii``) a non-ASCII character."""

    needles: frozenset[str]
    non_ascii: bool = False


class NeedleIndex:
    """Every needle of every gated pattern of a policy, found in a draft in one scan.

    ``found(text)`` is the set of needles occurring in ``text`` (as substrings, overlapping
    ones included), so each pattern's test is a set intersection instead of a scan.
    """

    def __init__(self, needles: set[str]) -> None:
        self.needles = frozenset(needles)
        # A needle found at a position implies the shorter needles that are its prefixes.
        self._implied = {n: frozenset(m for m in needles if n.startswith(m)) for n in needles}
        self._search = re.compile(_trie(sorted(needles), longest=True)).search if needles else None

    def found(self, text: str) -> frozenset[str] | set[str]:
        search = self._search
        if search is None:
            return frozenset()
        implied = self._implied
        result: set[str] = set()
        match = search(text)
        while match is not None:
            # The trie takes the longest needle at a position; restarting one character on
            # finds needles that overlap it.
            result |= implied[match.group()]
            match = search(text, match.start() + 1)
        return result


def contains_any(text: str, needles: frozenset[str]) -> bool:
    """Whether ``text`` holds one of ``needles`` (for patterns outside a NeedleIndex)."""
    return any(map(text.__contains__, needles))


def _trie(needles: list[str], longest: bool = False) -> str:
    """A regex source matching any of ``needles`` (sorted), factored on common prefixes.

    With ``longest`` it matches the longest needle at a position; otherwise it may stop at
    the shortest (enough to learn that some needle occurs).
    """
    groups: dict[str, list[str]] = {}
    ends = False
    for needle in needles:
        if needle:
            groups.setdefault(needle[0], []).append(needle[1:])
        else:
            ends = True
    if ends and (not longest or not groups):
        return ""
    branches = [re.escape(first) + _trie(rests, longest) for first, rests in groups.items()]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a needle ends here, a longer one may go on: try the longer first
        return "(?:" + body + ")?"
    return body


_ZERO_WIDTH_OPS = frozenset({_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT})
_MAX_PREFIXES = 64


def _options(op: Any, av: Any) -> tuple[set[str], bool] | None:
    """Literal strings a match of one parsed element starts with, and whether that is all of
    it (None: the element is not literal)."""
    if op is _constants.LITERAL:
        return {chr(av)}, True
    if op is _constants.IN and av and all(o is _constants.LITERAL for o, _ in av):
        return {chr(v) for _, v in av}, True
    if op is _constants.SUBPATTERN and not av[1] and not av[2]:
        return _prefixes(av[3].data)
    if op is _constants.BRANCH:
        options: set[str] = set()
        complete = True
        for branch in av[1]:
            sub, sub_complete = _prefixes(branch.data)
            options |= sub
            complete = complete and sub_complete
        return options, complete
    return None


def _prefixes(items: Any) -> tuple[set[str], bool]:
    """Literal strings every match of the parsed sequence ``items`` starts with, and whether
    the sequence is only those literals. Conservative: stops at anything else."""
    result = {""}
    for op, av in items:
        if op in _ZERO_WIDTH_OPS and result == {""}:
            continue  # \b, lookarounds before the first character consume nothing
        found = _options(op, av)
        if found is None or len(result) * len(found[0]) > _MAX_PREFIXES:
            return result, False
        result = {r + o for r in result for o in found[0]}
        if not found[1]:
            return result, False
    return result, True


def _required(items: Any) -> set[str] | None:
    """The most selective set of literal strings of which every match contains one.

    Each run of literal elements (``wordt``, ``(?:is|are)``) in the top-level sequence is
    such a set; the one whose shortest string is longest wins.
    """
    best: set[str] | None = None
    run = {""}

    def settle() -> None:
        nonlocal best, run
        if "" not in run and (best is None or min(map(len, run)) > min(map(len, best))):
            best = run
        run = {""}

    for op, av in items:
        if op in _ZERO_WIDTH_OPS:
            continue  # consumes nothing, so the literals around it stay contiguous
        found = _options(op, av)
        if found is None:
            settle()
            continue
        if len(run) * len(found[0]) > _MAX_PREFIXES:
            settle()
        run = {r + o for r in run for o in found[0]}
        if not found[1]:
            settle()
    settle()
    return best


def pattern_gate(pattern: re.Pattern[str]) -> Gate | None:
    """A cheap test that every text ``pattern`` can match in passes (None: no such test).

    Literal text every match holds must occur in the text (``\\bwordt\\s+...`` needs
    "wordt"); a pattern that starts with a class of non-ASCII characters needs a non-ASCII
    text. Case-insensitive patterns get no gate.
    """
    if pattern.flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an odd pattern simply runs ungated
        return None
    required = _required(parsed.data)
    if required:
        return Gate(frozenset(required))
    if _starts_non_ascii(parsed.data):
        return Gate(frozenset(), non_ascii=True)
    return None


def _starts_non_ascii(items: Any) -> bool:
    """True when the first character every match consumes is a non-ASCII one."""
    for op, av in items:
        if op in _ZERO_WIDTH_OPS:
            continue
        if op is _constants.IN:
            return _all_non_ascii(av)
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and av[0] >= 1:
            return _starts_non_ascii(av[2].data)
        return False
    return False


def _all_non_ascii(items: Any) -> bool:
    for op, av in items:
        if op is _constants.LITERAL and av > 127:
            continue
        if op is _constants.RANGE and av[0] > 127:
            continue
        return False
    return bool(items)
