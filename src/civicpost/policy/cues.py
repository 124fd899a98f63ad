"""Cues: the words and facts a ``learned`` rule weighs.

A draft's cues are read off its normalised view (so "V3RTROUWELIJK" and "vertrouwelijk" are
the same cue) and written the way a policy author would type them:

- a word: ``verklappen``, ``stiekem``;
- a placeholder for what is not a word: ``<mention>`` (an @handle), ``<link>``, ``<number>``,
  and for punctuation that carries tone: ``<quote>`` (a word or three in scare quotes),
  ``<exclamation>``, ``<question>``;
- a context fact, written ``@name``: ``@personal-account``, ``@dossier`` (see ``CONTEXT``);
- a term of one of the policy's term lists found in the draft: ``@list:negative-stance``, so
  a rule weighs what the hand-kept lists know (and an organisation's additions to them). A
  term the hand-written rules finding the list cancel as an exception ("schuldig" in "de
  rechter beslist of hij schuldig is") does not count.

Phrases are the business of term lists: a rule weighs a list of phrases with one
``@list:`` cue. (Word pairs and word starts as cues of their own were measured and made
held-out recall no better, and checks slower.)

Training (``civicpost.policy.training``) and checking read cues through the same function,
so a weight learned for a cue is the weight applied to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import numpy as np
import numpy.typing as npt

from civicpost.policy.analysis import Analysis, overlaps
from civicpost.policy.model import Facts
from civicpost.policy.normalize import normalise_term
from civicpost.policy.yamlnodes import NodeMap

# What is not a word is read first and blanked out (keeping offsets), so that the parts of
# a link or a handle are not read as words: links, then handles; then numbers are found.
_LINK = re.compile(r"(?<!\w)(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w[\w.-]*(?:@[\w.-]*\w)?")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# The same words in a lower-case ASCII view, found faster.
_ASCII_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")
# A view without these holds words only (the common case: one scan for words).
_NOT_ONLY_WORDS = re.compile(r"[@\d]|https?://|www\.")
# One to three words between quotation marks: "innovatief", 'ambitious' (often irony).
_QUOTED = re.compile(r"(?<![\w'])['\"‘“„]([^\W\d_]+(?: [^\W\d_]+){0,2})['\"’”](?![\w'])")
PLACEHOLDERS = (
    "<link>",
    "<mention>",
    "<number>",
    "<quote>",
    "<exclamation>",
    "<question>",
)

# Context facts a rule may weigh (``@name`` in a rule file), with what each means.
CONTEXT: dict[str, str] = {
    "personal-account": "the draft goes out on a personal account",
    "organisational-account": "the draft goes out on an organisational account",
    "spokesperson": "the author is a spokesperson",
    "dossier": "the draft touches one of the author's dossiers",
    "colleague-with-consent": "a colleague who agreed to be named is in the draft's context",
    "colleague-without-consent": "a colleague who did not agree is in the draft's context",
    "link": "the draft holds a link",
    "open-link": "a link leads to an open web page",
    "closed-channel": "the channel is a closed platform",
    "urgent": "the draft carries urgent or safety information",
    "media": "media are attached",
    "sensitive-period": "the date falls in a sensitive period of the calendar",
    "dutch": "the draft is in Dutch",
    "english": "the draft is in English",
    "domain-person": "the draft's domain is person",
    "domain-function": "the draft's domain is function",
    "domain-department": "the draft's domain is department",
    "domain-organisation": "the draft's domain is organisation",
}


def _context_holding(analysis: Analysis, facts: Facts) -> list[str]:
    draft = analysis.draft
    held = [
        "@personal-account" if facts.account_kind == "personal" else "@organisational-account",
        "@dutch" if facts.language == "nl" else "@english",
        f"@domain-{facts.domain}",
    ]
    if facts.spokesperson:
        held.append("@spokesperson")
    if facts.dossiers_found:
        held.append("@dossier")
    if draft.colleagues:
        if any(c.consent for c in draft.colleagues):
            held.append("@colleague-with-consent")
        if not all(c.consent for c in draft.colleagues):
            held.append("@colleague-without-consent")
    if facts.has_link:
        held.append("@link")
    if facts.open_link:
        held.append("@open-link")
    if facts.closed_channel:
        held.append("@closed-channel")
    if facts.urgent:
        held.append("@urgent")
    if draft.media:
        held.append("@media")
    if facts.sensitive_period is not None:
        held.append("@sensitive-period")
    return held


Span = tuple[int, int]
# Where a draft's context cues are kept in its analysis (dropped when its domain changes).
CONTEXT_KEY = "context-cues"


def _blank(text: str, pattern: re.Pattern[str], spans: list[Span]) -> str:
    """``text`` with the matches of ``pattern`` replaced by spaces (their spans added)."""
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        spans.append((start, end))
        pieces.append(text[last:start])
        pieces.append(" " * (end - start))
        last = end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _split(view: str) -> tuple[str, dict[str, list[Span]]]:
    """The view with links, handles and numbers blanked out, and their spans by placeholder."""
    found: dict[str, list[Span]] = {}
    if not _NOT_ONLY_WORDS.search(view):
        return view, found
    if "http" in view or "www." in view:
        spans: list[Span] = []
        view = _blank(view, _LINK, spans)
        if spans:
            found["<link>"] = spans
    if "@" in view:
        spans = []
        view = _blank(view, _MENTION, spans)
        if spans:
            found["<mention>"] = spans
    # (digits are never part of a word: a number needs no blanking, only its place)
    number = _NUMBER.search(view)
    if number is not None:
        found["<number>"] = [number.span()]
    return view, found


def _marks(view: str, found: dict[str, list[Span]]) -> None:
    """Add the places of punctuation that carries tone: a word in scare quotes, an
    exclamation mark, a question mark."""
    for mark, placeholder in (("!", "<exclamation>"), ("?", "<question>")):
        at = view.find(mark)
        if at >= 0:
            found[placeholder] = [(at, at + 1)]
    if "'" in view or '"' in view or not view.isascii():
        quoted = _QUOTED.search(view)
        if quoted is not None:
            found["<quote>"] = [quoted.span()]


def _words(view: str) -> re.Pattern[str]:
    return _ASCII_WORD if view.isascii() else _WORD


# Every ASCII byte but a lower-case letter becomes a space: in a lower-case ASCII view
# without "'" or "-", the words are then what ``split`` gives (and a few times faster).
_LETTERS_ONLY = bytes(b if 0x61 <= b <= 0x7A else 0x20 for b in range(256))


def _word_list(view: str) -> list[str]:
    if view.isascii() and "'" not in view and "-" not in view:
        return view.encode("ascii").translate(_LETTERS_ONLY).decode("ascii").split()
    return _words(view).findall(view)


def _cue_view(analysis: Analysis) -> tuple[str, dict[str, list[Span]]]:
    """The view with what is not a word blanked out, and the placeholders' spans in it."""
    cached = analysis._cache.get("cue-view")
    if cached is None:
        view, placeholders = _split(analysis.norm.text)
        _marks(view, placeholders)
        cached = analysis._cache["cue-view"] = (view, placeholders)
    return cached  # type: ignore[return-value]


def cue_set(analysis: Analysis) -> frozenset[str]:
    """The draft's word cues (see the module doc), without where they are."""
    cached = analysis._cache.get("cue-set")
    if cached is not None:
        return cached  # type: ignore[return-value]
    view, placeholders = _cue_view(analysis)
    words = _word_list(view)
    found = frozenset(words) if not placeholders else frozenset([*words, *placeholders])
    analysis._cache["cue-set"] = found
    return found


def cue_spans(analysis: Analysis) -> dict[str, Span]:
    """The draft's word cues, each with the ORIGINAL span of its first occurrence."""
    cached = analysis._cache.get("cue-spans")
    if cached is None:
        norm = analysis.norm
        view, placeholders = _cue_view(analysis)
        found: dict[str, Span] = {cue: spans[0] for cue, spans in placeholders.items()}
        for match in _words(view).finditer(view):
            found.setdefault(match.group(), match.span())
        if norm.starts is not None:
            found = {cue: norm.to_original(*span) for cue, span in found.items()}
        cached = analysis._cache["cue-spans"] = found
    return cached  # type: ignore[return-value]


def context_cues(analysis: Analysis) -> list[str]:
    """The context facts (``@name``) that hold for the draft."""
    cached = analysis._cache.get(CONTEXT_KEY)
    if cached is None:
        facts = analysis.facts
        if facts is None:
            return []
        cached = _context_holding(analysis, facts)
        cached.extend(
            f"@{set_id}"
            for set_id in analysis.term_hits
            if set_id.startswith("list:") and list_spans(analysis, set_id)
        )
        analysis._cache[CONTEXT_KEY] = cached
    return cached  # type: ignore[return-value]


def list_spans(analysis: Analysis, set_id: str) -> list[Span]:
    """The original spans of a term list's terms in the draft, less those that the rules
    finding the list cancel as exceptions (``Analysis.list_exceptions``)."""
    spans = analysis.spans(set_id)
    cancelling = analysis.list_exceptions.get(set_id)
    if cancelling and spans:
        cancelled = [span for other in cancelling for span in analysis.spans(other)]
        if cancelled:
            spans = [span for span in spans if not overlaps(span, cancelled)]
    return spans


def normalise_cue(cue: str) -> str | None:
    """A cue as written in a rule file, in the form the draft's cues take; None if no draft
    can hold it (more than one word, a character that is not part of a word, an unknown
    context fact)."""
    cue = cue.strip()
    if cue.startswith("@"):
        return cue if cue[1:] in CONTEXT or cue.startswith("@list:") and len(cue) > 6 else None
    if cue in PLACEHOLDERS:
        return cue
    cue = normalise_term(cue)
    return cue if _WORD.fullmatch(cue) else None


def read_cues(
    fields: NodeMap,
    key: str,
    known_lists: Collection[str],
    problem: Callable[[int, str], None],
) -> dict[str, float]:
    """The cue weights under ``key``: a block of "weight cue" lines (``key: |``) or a mapping
    of cue to weight. Every bad line is reported to ``problem`` with its line number."""
    weights: dict[str, float] = {}
    for cue, weight, line in _cue_lines(fields, key, problem):
        normal = normalise_cue(cue)
        if normal is None:
            problem(
                line,
                f"cue {cue!r} is not a word, a placeholder ({', '.join(PLACEHOLDERS)}), "
                "a context fact (@name) or a term list (@list:name)",
            )
        elif normal.startswith("@list:") and normal[6:] not in known_lists:
            problem(line, f"cue {cue!r}: unknown term list '{normal[6:]}'")
        elif normal in weights:
            problem(line, f"cue {cue!r} appears twice")
        else:
            weights[normal] = weight
    return weights


def _cue_lines(
    fields: NodeMap, key: str, problem: Callable[[int, str], None]
) -> list[tuple[str, float, int]]:
    node = fields.node_of(key)
    if node is None:
        return []
    value = fields.get(key)
    if isinstance(value, dict):
        found = []
        for cue, weight, line in fields.mapping_items_with_lines(key):
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                problem(line, f"weight of cue '{cue}' must be a number")
            else:
                found.append((str(cue), float(weight), line))
        return found
    if not isinstance(value, str) or getattr(node, "style", None) != "|":
        problem(fields.value_line(key), f"write '{key}: |' and one 'weight cue' a line")
        return []
    first = fields.value_line(key) + 1  # (the block starts on the line after its "|")
    found = []
    for offset, raw in enumerate(value.splitlines()):
        line = first + offset
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        weight_text, _, cue = text.partition(" ")
        try:
            weight = float(weight_text)
        except ValueError:
            problem(line, f"cue line {raw.strip()!r} must start with a weight (+1.25 word)")
            continue
        if not cue.strip():
            problem(line, f"cue line {raw.strip()!r} has a weight but no cue")
            continue
        found.append((cue.strip(), weight, line))
    return found


class CueIndex:
    """Weights of several cue-weighing models (the learned rules of a policy, the domains) in
    one table, a row per cue and a column (slot) per model: a draft's cues are looked up once
    for all of them, and its scores are the column sums of its rows."""

    def __init__(self, name: str = "rules") -> None:
        # Where a draft's scores, and its words' rows, are kept in its analysis.
        self.key = f"cue-scores:{name}"
        self.words_key = f"cue-words:{name}"
        self.rows: dict[str, int] = {}
        self._cues: frozenset[str] = frozenset()
        self.slots = 0
        # The weights per row (slot -> weight), and the same as a dense array for sums.
        self._weights: list[dict[int, float]] = []
        self._table: npt.NDArray[np.float64] | None = None

    def add(self, weights: dict[str, float]) -> int:
        """Add one rule's weights; returns the rule's slot."""
        slot = self.slots
        self.slots += 1
        rows = self.rows
        for cue, weight in weights.items():
            row = rows.setdefault(cue, len(rows))
            if row == len(self._weights):
                self._weights.append({})
            self._weights[row][slot] = weight
        self._table = None
        self._cues = frozenset(rows)
        return slot

    def _built(self) -> npt.NDArray[np.float64]:
        if self._table is None:
            table = np.zeros((len(self.rows), self.slots))
            for row, weights in enumerate(self._weights):
                for slot, weight in weights.items():
                    table[row, slot] = weight
            self._table = table
        return self._table

    def _word_rows(self, analysis: Analysis) -> tuple[list[str], list[int]]:
        """The draft's word cues that have a row and, in the same order, those rows."""
        cached = analysis._cache.get(self.words_key)
        if cached is not None and cached[0] is self:  # type: ignore[index]
            return cached[1], cached[2]  # type: ignore[index]
        found = list(cue_set(analysis) & self._cues)
        rows = list(map(self.rows.__getitem__, found))
        analysis._cache[self.words_key] = (self, found, rows)
        return found, rows

    def weighted_words(self, analysis: Analysis) -> list[str]:
        """The draft's word cues that some model of the index weighs."""
        return self._word_rows(analysis)[0]

    def word_weights(self, analysis: Analysis, slot: int) -> list[tuple[str, float]]:
        """The (cue, weight) of the draft's word cues that the model in ``slot`` weighs, in
        cue order."""
        words, rows = self._word_rows(analysis)
        table = self._weights
        found = []
        for cue, row in zip(words, rows, strict=True):
            weight = table[row].get(slot)
            if weight is not None:
                found.append((cue, weight))
        found.sort()
        return found

    def scores(self, analysis: Analysis) -> list[float]:
        """Per slot, the sum of the weights of the cues the draft holds (computed again
        when its context cues change, as they do when its domain is decided)."""
        context = context_cues(analysis)
        cached = analysis._cache.get(self.key)
        if cached is not None and cached[0] is context:  # type: ignore[index]
            return cached[1]  # type: ignore[index,no-any-return]
        rows = self.rows
        found = self._word_rows(analysis)[1] + [rows[cue] for cue in context if cue in rows]
        # (in row order: a set's order changes from one process to the next, and with it
        # the last bits of a sum, which can break a tie between two domains either way)
        found.sort()
        result: list[float] = (
            self._built().take(found, axis=0).sum(axis=0).tolist() if found else [0.0] * self.slots
        )
        analysis._cache[self.key] = (context, result)
        return result
