"""Cues: the words, word pairs and context facts a ``learned`` rule weighs.

A draft's cues are read off its normalised view (so "V3RTROUWELIJK" and "vertrouwelijk" are
the same cue) and written the way a policy author would type them:

- a word: ``verklappen``; a pair of adjacent words: ``nog niet``;
- the start of a longer word: ``verkla*`` (the first ``STEM_LENGTH`` letters of a word of
  more than that), so that "verklap", "verklapt" and "verklappen" share what they mean;
- a placeholder for what is not a word: ``<mention>`` (an @handle), ``<link>``, ``<number>``;
- a context fact, written ``@name``: ``@personal-account``, ``@dossier`` (see ``CONTEXT``).

Training (``civicpost.policy.training``) and checking read cues through the same function,
so a weight learned for a cue is the weight applied to it.
"""

from __future__ import annotations

import re

from civicpost.policy.analysis import Analysis
from civicpost.policy.model import Facts
from civicpost.policy.normalize import normalise_term

# Links and handles first, so that their parts are not read as words.
_LINK = r"https?://\S+|www\.\S+"
_MENTION = r"@\w[\w.-]*(?:@[\w.-]*\w)?"
_WORD_TEXT = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_TOKEN = re.compile(
    f"(?P<link>{_LINK})|(?P<mention>{_MENTION})|(?P<word>{_WORD_TEXT})|(?P<number>\\d+)"
)
_TOKEN_TEXT = re.compile(f"{_LINK}|{_MENTION}|{_WORD_TEXT}|\\d+")
_WORD = re.compile(_WORD_TEXT)
# A view without these holds words only (the common case, read by one ``findall``).
_NOT_ONLY_WORDS = re.compile(r"[@\d]|https?://|www\.")
STEM_LENGTH = 6

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


def _placeholder(token: str) -> str:
    if token[0] == "@":
        return "<mention>"
    if token[0].isdecimal():
        return "<number>"
    return "<link>" if token.startswith(("http://", "https://", "www.")) else token


def cue_set(analysis: Analysis) -> frozenset[str]:
    """The draft's word cues (see the module doc), without where they are."""
    cached = analysis._cache.get("cue-set")
    if cached is None:
        view = analysis.norm.text
        if _NOT_ONLY_WORDS.search(view):
            tokens = [_placeholder(t) for t in _TOKEN_TEXT.findall(view)]
        else:
            tokens = _WORD.findall(view)
        cues = set(tokens)
        cues.update([t[:STEM_LENGTH] + "*" for t in tokens if len(t) > STEM_LENGTH and t[0] != "<"])
        cues.update(map(" ".join, zip(tokens, tokens[1:], strict=False)))
        cached = analysis._cache["cue-set"] = frozenset(cues)
    return cached  # type: ignore[return-value]


def _word_cues(view: str) -> dict[str, Span]:
    """Each word cue of the view with the view span of its first occurrence."""
    found: dict[str, Span] = {}
    previous: str | None = None
    previous_start = 0
    for match in _TOKEN.finditer(view):
        kind = match.lastgroup
        start, end = match.span()
        token = match.group() if kind == "word" else f"<{kind}>"
        if token not in found:
            found[token] = (start, end)
        if kind == "word" and len(token) > STEM_LENGTH:
            stem = token[:STEM_LENGTH] + "*"
            if stem not in found:
                found[stem] = (start, end)
        if previous is not None:
            pair = f"{previous} {token}"
            if pair not in found:
                found[pair] = (previous_start, end)
        previous, previous_start = token, start
    return found


def cue_spans(analysis: Analysis) -> dict[str, Span]:
    """The draft's word cues, each with the ORIGINAL span of its first occurrence."""
    cached = analysis._cache.get("cue-spans")
    if cached is None:
        view = analysis.norm
        found = _word_cues(view.text)
        if view.starts is not None:
            found = {cue: view.to_original(*span) for cue, span in found.items()}
        cached = analysis._cache["cue-spans"] = found
    return cached  # type: ignore[return-value]


def context_cues(analysis: Analysis) -> list[str]:
    """The context facts (``@name``) that hold for the draft."""
    cached = analysis._cache.get("context-cues")
    if cached is None:
        facts = analysis.facts
        if facts is None:
            return []
        cached = _context_holding(analysis, facts)
        analysis._cache["context-cues"] = cached
    return cached  # type: ignore[return-value]


def normalise_cue(cue: str) -> str | None:
    """A cue as written in a rule file, in the form ``word_cues`` produces; None if it can
    never be produced (more than two words, or characters that are not part of a word)."""
    cue = cue.strip()
    if cue.startswith("@"):
        return cue if cue[1:] in CONTEXT else None
    cue = normalise_term(cue)
    parts = cue.split(" ")
    if not 1 <= len(parts) <= 2:
        return None
    for part in parts:
        if part in ("<mention>", "<link>", "<number>"):
            continue
        body = part[:-1] if part.endswith("*") else part
        if part.endswith("*") and (len(parts) > 1 or len(body) != STEM_LENGTH):
            return None
        match = _TOKEN.fullmatch(body)
        if match is None or match.lastgroup != "word":
            return None
    return cue
