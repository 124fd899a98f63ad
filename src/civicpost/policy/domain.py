"""The BL-C domain of a draft (person, function, department, organisation), with evidence.

Transparent signals only: the account kind, the voice (I / we / the institution), overlap
with the author's dossiers, named colleagues, announcement language and private-life words.
The cue words are term lists in the policy packs, so organisations can extend them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from civicpost.policy.analysis import Analysis
from civicpost.policy.model import DOMAINS
from civicpost.policy.normalize import normalise_term

# (term list, domain, weight per distinct cue, most cues counted, evidence label)
SIGNALS: tuple[tuple[str, str, float, int, str], ...] = (
    ("private-life", "person", 1.5, 2, "private-life words"),
    ("first-person-singular", "person", 0.4, 1, "first person singular"),
    ("first-person-singular", "function", 0.4, 1, "first person singular"),
    ("first-person-plural", "department", 0.5, 1, "first person plural"),
    ("first-person-plural", "organisation", 0.3, 1, "first person plural"),
    ("work", "function", 0.9, 2, "work words"),
    ("department", "department", 1.2, 2, "colleague and team words"),
    ("institutional-voice", "organisation", 1.4, 2, "institutional voice"),
    ("announcement", "organisation", 1.0, 2, "official-announcement language"),
    ("mandate-claims", "organisation", 2.0, 1, "speaks for the organisation"),
    ("confidentiality-markers", "function", 1.0, 1, "internal information"),
    ("press-questions", "function", 1.0, 1, "contact with the press"),
    ("private-routes", "function", 1.0, 1, "work handled through private channels"),
)
_STOP = frozenset(
    ["beleid", "policy", "zaken", "affairs", "algemene", "general", "nationale", "national"]
)


# Heads of Dutch compounds that name the kind of work, not its subject.
_GENERIC_HEAD = re.compile(r"(?<=\w{4})(?:beleid|zaken|wetgeving|regelgeving|programma|dossier)$")


def _stem(word: str) -> str:
    return re.sub(r"(?:en|s|e)$", "", word) if len(word) > 3 else word


def _stems(word: str) -> tuple[str, ...]:
    """The word's stem, and for a compound on a generic head the subject before it."""
    subject = _GENERIC_HEAD.sub("", word)
    return (_stem(word),) if subject == word else (_stem(word), subject)


@lru_cache(maxsize=512)
def dossier_pattern(dossier: str) -> re.Pattern[str] | None:
    """A pattern for a dossier: the whole phrase, or any of its distinctive words."""
    phrase = normalise_term(dossier)
    if not phrase:
        return None
    # The phrase itself, each word also in another number: "heat pumps" finds "heat pump".
    options = [r"\s+".join(re.escape(_stem(p)) + r"\w{0,3}" for p in phrase.split(" "))]
    for word in phrase.split(" "):
        if len(word) >= 6 and word not in _STOP:
            # Dutch writes compounds as one word: "stikstof" is in "stikstofbeleid", and
            # "warmtenet" in "stadswarmtenetten"; "huurbeleid" is about "huur" (huurgrens).
            for stem in _stems(word):
                options.append(r"\w{0,8}" + re.escape(stem) + r"\w{0,12}")
    return re.compile(r"(?<!\w)(?:" + "|".join(options) + r")(?!\w)")


@lru_cache(maxsize=512)
def dossier_words(dossier: str) -> tuple[str, ...]:
    """Literal text of which every match of ``dossier_pattern(dossier)`` holds one: the first
    word of the phrase, or a word's stem. Finding none spares the (slow) pattern scan."""
    phrase = normalise_term(dossier)
    words = phrase.split(" ")
    stems = [
        stem for word in words if len(word) >= 6 and word not in _STOP for stem in _stems(word)
    ]
    return (_stem(words[0]), *stems)


def find_dossiers(analysis: Analysis) -> list[tuple[str, int, int]]:
    """The author's dossiers this draft touches, with the first original span of each."""
    found: list[tuple[str, int, int]] = []
    view = analysis.norm
    text = view.text
    for dossier in analysis.draft.dossiers:
        pattern = dossier_pattern(dossier)
        if pattern is None or not any(map(text.__contains__, dossier_words(dossier))):
            continue
        match = pattern.search(text)
        if match:
            start, end = view.to_original(*match.span())
            found.append((dossier, start, end))
    return found


def _signals_by_set() -> dict[str, tuple[int, ...]]:
    """Positions in SIGNALS of the signals of each term list, by the list's term set id: a
    draft holds few of the lists, so only theirs are visited (in SIGNALS order, the order
    in which their weights add up)."""
    by_set: dict[str, tuple[int, ...]] = {}
    for position, (list_name, *_) in enumerate(SIGNALS):
        set_id = f"list:{list_name}"
        by_set[set_id] = (*by_set.get(set_id, ()), position)
    return by_set


_SIGNALS_BY_SET = _signals_by_set()
# Raw scores are kept in a list in DOMAINS order; SIGNALS with the domain's position.
_PERSON, _FUNCTION, _DEPARTMENT, _ORGANISATION = (
    DOMAINS.index(d) for d in ("person", "function", "department", "organisation")
)
_INDEXED_SIGNALS = tuple(
    (list_name, f"list:{list_name}", DOMAINS.index(domain), weight, most, label)
    for list_name, domain, weight, most, label in SIGNALS
)
# Label and rounded scores per tuple of raw scores: drafts share few distinct ones.
_SCORES: dict[tuple[float, ...], tuple[str, dict[str, float]]] = {}
_SCORES_KEPT = 4096


def score(
    analysis: Analysis, dossiers: list[tuple[str, int, int]], colleagues_named: bool
) -> tuple[str, dict[str, float], list[str]]:
    """Domain label, scores summing to 1 (rounded to 2 places) and evidence strings."""
    raw = [0.4] * len(DOMAINS)
    kind = analysis.draft.account_kind
    if kind == "organisational":
        raw[_ORGANISATION] += 1.2
        evidence = ["organisational account"]
    else:
        raw[_PERSON] += 0.3
        evidence = ["personal account"]
    found = analysis.term_hits
    singular = "list:first-person-singular" in found
    plural = "list:first-person-plural" in found
    positions = [
        p for set_id in found if set_id in _SIGNALS_BY_SET for p in _SIGNALS_BY_SET[set_id]
    ]
    if positions:
        text = analysis.text
        positions.sort()
        for position in positions:
            list_name, set_id, domain, weight, most, label = _INDEXED_SIGNALS[position]
            if list_name == "institutional-voice" and kind != "organisational" and not plural:
                # "I work at the ministry", "the province explains it well": about the
                # organisation, not speaking as it.
                weight *= 0.4
            elif list_name == "private-life" and kind == "organisational" and not singular:
                weight *= 0.6  # "beach", "weekend" in a service message are not private life
            words = sorted({" ".join(text[s:e].lower().split()) for s, e in analysis.spans(set_id)})
            raw[domain] += weight * min(len(words), most)
            item = f"{label}: {', '.join(words[:3])}"
            if item not in evidence:
                evidence.append(item)
    if kind != "organisational" and not plural and analysis.links():
        raw[_FUNCTION] += 0.8
        evidence.append("shares a link")
    if kind == "organisational" and singular and not plural:
        raw[_PERSON] += 0.8
        evidence.append("first person singular on an organisational account")
    for dossier, _, _ in dossiers:
        if kind == "organisational":
            # The organisation's account on its own work: the author's dossier is why they
            # write it, not a sign of speaking in their own function.
            raw[_ORGANISATION] += 0.6
        else:
            raw[_FUNCTION] += 2.0
        evidence.append(f"matches dossier '{dossier}'")
    if colleagues_named:
        raw[_DEPARTMENT] += 1.5
        evidence.append("names a colleague")
    key = tuple(raw)
    known = _SCORES.get(key)
    if known is None:
        known = _label_and_scores(dict(zip(DOMAINS, raw, strict=True)))
        if len(_SCORES) < _SCORES_KEPT:
            _SCORES[key] = known
    label, scores = known
    return label, dict(scores), evidence


def _label_and_scores(raw: dict[str, float]) -> tuple[str, dict[str, float]]:
    label = max(DOMAINS, key=lambda d: (raw[d], -DOMAINS.index(d)))
    total = sum(raw.values())
    scores = {d: round(raw[d] / total, 2) for d in DOMAINS}
    scores[label] = round(1.0 - sum(v for d, v in scores.items() if d != label), 2)
    return label, scores
