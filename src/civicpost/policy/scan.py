"""``finditer`` for patterns that open with ``\\w*``, without trying them inside words.

Python's engine tries a pattern at every position of a text. A pattern that opens with
``\\w*``, such as ``\\w*(?:permit|grant)\\w*``, runs that ``\\w*`` to the end of the word and
back from every character of every word, so its scan costs the squares of the word lengths.

Such a pattern never matches first in the middle of a word: where it matches at a position
after a word character, it also matches one position earlier, with the ``\\w*`` taking that
character too (nothing else in the pattern sees where the match began, as long as it has no
backreferences). So, from where a search starts, the leftmost match begins either right
there or right after a non-word character; the same pattern behind ``(?<!\\w)`` finds the
latter in one scan that gives up at once inside words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from re import _constants, _parser  # type: ignore[attr-defined]

# Backreferences and conditional groups let a pattern see what an earlier part matched;
# any pattern that may hold one (even a false alarm like "\\1" inside a class) keeps the
# plain scan.
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
_WORD_CLASS = [(_constants.IN, [(_constants.CATEGORY, _constants.CATEGORY_WORD)])]


@lru_cache(maxsize=1024)
def word_start_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` behind ``(?<!\\w)``, when it opens with a greedy, unbounded ``\\w*`` (or
    ``\\w+``), has no backreferences, is not verbose and cannot match the empty string;
    else None."""
    if pattern.flags & re.VERBOSE or _BACKREFERENCE.search(pattern.pattern):
        return None  # (a verbose pattern could comment out the closing parenthesis)
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        if not parsed.data or parsed.getwidth()[0] == 0:
            return None
        op, av = parsed.data[0]
        if (
            op is not _constants.MAX_REPEAT
            or av[1] is not _constants.MAXREPEAT
            or av[2].data != _WORD_CLASS
        ):
            return None
        return re.compile(r"(?<!\w)(?:" + pattern.pattern + ")", pattern.flags)
    except (re.error, TypeError, ValueError, IndexError):
        return None  # anything unexpected simply keeps the plain scan


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, found faster where the pattern allows."""
    at_word_start = word_start_pattern(pattern)
    if at_word_start is None:
        yield from pattern.finditer(text)
        return
    match_here = pattern.match
    search_on = at_word_start.search
    position = 0
    while True:
        # (every match is non-empty, so the next search starts where the last one ended)
        found = match_here(text, position) or search_on(text, position + 1)
        if found is None:
            return
        yield found
        position = found.end()
