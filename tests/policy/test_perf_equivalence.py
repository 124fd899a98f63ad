"""The engine's shortcuts never change a result.

``check`` skips rules whose terms, pattern literals or draft features are absent, caches
which rules apply per context, the channel advice per kind of draft and the domain scores
per raw score, gates patterns on literals, folds text in one call when it can, counts
graphemes without segmenting simple text, bounds word counts cheaply, finds sentence starts
without counting words, looks for a few literals before slow scans (case numbers, dossiers,
phone numbers) and tries patterns that open with ``\\w*`` only at word starts. Each is
compared here with the plain way of doing the same thing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

import grapheme  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicpost.policy import (
    Policy,
    channels,
    check,
    cues,
    domain,
    engine,
    load_policy,
    normalize,
    scan,
)
from civicpost.policy import analysis as analysis_module
from civicpost.policy import recognizers as recognizers_module
from civicpost.policy.analysis import Analysis, _one_cluster_per_char
from civicpost.policy.domain_model import DomainModel
from civicpost.policy.engine import _fill, _template, analyse, parse_draft
from civicpost.policy.features import feature_mask, mask_of
from civicpost.policy.kinds import occurrence
from civicpost.policy.kinds.base import Matcher
from civicpost.policy.kinds.classifier import Classifier
from civicpost.policy.kinds.follows import FINDINGS_KEY
from civicpost.policy.kinds.gates import NeedleIndex, contains_any, pattern_gate
from civicpost.policy.kinds.learned import Learned
from civicpost.policy.model import DOMAINS, LEVEL_RANK
from civicpost.policy.normalize import normalise, normalise_by_char
from civicpost.policy.terms import TermIndex

ROOT = Path(__file__).resolve().parents[2]
POLICY: Policy = load_policy()
CORPUS_POLICY: Policy = load_policy(str(ROOT / "tests" / "corpus" / "policy"))

CONTEXTS: list[dict[str, Any]] = [
    {},
    {"account": {"kind": "organisational", "channel": "x"}, "lang": "en"},
    {
        "account": {"kind": "personal", "channel": "mastodon"},
        "author": {"spokesperson": True, "dossiers": ["onderwijs", "stikstof"]},
        "date": "2026-10-10",
    },
    {
        "account": {"kind": "organisational", "channel": "website"},
        "media": [{"kind": "image"}, {"kind": "image", "alt": "Afbeelding van"}],
        "colleagues": [{"name": "Jan de Vries", "consent": False}],
    },
]


def _all_patterns(matcher: Matcher, analysis: Analysis, source: str) -> list[re.Pattern[str]]:
    return list(matcher.patterns)


def _every_cue(self: Classifier, analysis: Analysis) -> Iterable[int]:
    return range(len(self.cues))


def _find_terms_plainly(self: TermIndex, text: str) -> dict[str, list[tuple[int, int]]]:
    """TermIndex.find without the cache of matches as written."""
    self._match_cache.clear()
    return _FIND_TERMS(self, text)


_FIND_TERMS = TermIndex.find


@contextmanager
def plain_engine() -> Iterator[None]:
    """Turn off every shortcut below ``check``: prefilters, gates, fast paths."""
    with ExitStack() as stack:
        for target, name, value in [
            (Matcher, "_matching", _all_patterns),
            (Classifier, "_cues_found", _every_cue),
            (TermIndex, "find", _find_terms_plainly),
            (Analysis, "most_words", lambda self: 10**9),
            (occurrence, "_non_ascii", lambda text: 10**9),
            (analysis_module, "_LINK_HINT", re.compile("")),
            (analysis_module, "_LINK_HINT_LOWER", re.compile("")),
            (analysis_module, "_one_cluster_per_char", lambda text: False),
            (normalize, "_LETTER_DIGIT", re.compile(r"[^\W\d_][0-9]|[0-9][^\W\d_]")),
            (normalize, "_aligned", lambda text: False),
            (recognizers_module, "_CASE_WORDS", ("",)),  # "" is in every text
            (recognizers_module, "PHONE_DIGITS", re.compile("")),
            (domain, "dossier_words", lambda dossier: ("",)),
            (domain, "_SCORES", {}),
            (domain, "_SCORES_KEPT", 0),
            (engine, "_DATES", {}),
            (engine, "_DATES_KEPT", 0),
            (scan, "word_start_pattern", lambda pattern: None),
            (Learned, "score", _plain_score),
            (DomainModel, "scores", _plain_domain_scores),
            (cues, "_ASCII_WORD", cues._WORD),
            (cues, "_word_list", lambda view: cues._WORD.findall(view)),
            (cues, "_NOT_ONLY_WORDS", re.compile("")),
        ]:
            stack.enter_context(patch.object(target, name, value))
        yield


def _plain_score(self: Learned, analysis: Analysis) -> float:
    return sum(weight for _, weight in self.weighed(analysis))


def _plain_domain_scores(self: DomainModel, analysis: Analysis) -> dict[str, float]:
    return {
        d: self.bias.get(d, 0.0) + sum(w for _, w in self.weighed(analysis, d)) for d in DOMAINS
    }


def _redundant(finding: dict[str, Any], findings: list[dict[str, Any]], policy: Policy) -> bool:
    """A deferring rule's finding where another rule found its topic at its level or higher."""
    if not policy.rule(finding["rule"]).logic.defers:
        return False
    rank = LEVEL_RANK[finding["level"]]
    return any(
        other["topic"] == finding["topic"]
        and not policy.rule(other["rule"]).logic.defers
        and LEVEL_RANK[other["level"]] >= rank
        for other in findings
    )


def reference_check(policy: Policy, draft: dict[str, Any]) -> dict[str, Any]:
    """``check`` the plain way: every rule's condition and logic, every pattern, no caches."""
    with plain_engine():
        parsed = parse_draft(draft)
        analysis = analyse(policy, parsed)
        facts = analysis.facts
        assert facts is not None
        findings: list[dict[str, Any]] = []
        seen: set[tuple[str, int, int]] = set()
        # Rules that defer to others of their topic, and rules that read the findings, last.
        ordered = sorted(policy.rules, key=lambda r: (bool(r.logic.reads_topics()), r.logic.defers))
        for rule in ordered:
            if not rule.when.holds(facts):
                continue
            if rule.logic.reads_topics():
                findings = [f for f in findings if not _redundant(f, findings, policy)]
                analysis._cache[FINDINGS_KEY] = findings
            for hit in rule.logic.find(analysis):
                key = (rule.id, hit.start, hit.end)
                if key in seen:
                    continue
                seen.add(key)
                lang = analysis.language
                findings.append(
                    {
                        "rule": rule.id,
                        "topic": rule.topic,
                        "guideline": rule.guideline,
                        "level": hit.level or rule.level_for(facts.account_kind),
                        "start": hit.start,
                        "end": hit.end,
                        "message": _fill(_template(rule.message, lang), dict(hit.params)),
                        "suggestion": _fill(_template(rule.suggestion, lang), dict(hit.params)),
                        "source": rule.source_text,
                    }
                )
        findings = [f for f in findings if not _redundant(f, findings, policy)]
        findings.sort(key=lambda f: (f["start"], f["rule"], f["end"]))
        graphemes, web_links = analysis.grapheme_count(), analysis.web_links()
        exceeded = tuple(
            spec.max_graphemes is not None
            and channels.counted_length(spec, graphemes, web_links) > spec.max_graphemes
            for spec in channels.CHANNELS.values()
        )
        return {
            "id": parsed.id,
            "language": analysis.language,
            "domain": analysis.domain,
            "findings": findings,
            "channels": channels._advise(facts, exceeded),
        }


def corpus_drafts() -> Iterator[dict[str, Any]]:
    for name in ("tests/corpus/drafts.jsonl", "tests/policy/fixtures/drafts.jsonl"):
        path = ROOT / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict) and isinstance(item.get("input"), dict):
                yield item["input"]


@pytest.mark.parametrize("policy", [POLICY, CORPUS_POLICY], ids=["default", "corpus"])
def test_corpus_results_match_the_plain_engine(policy: Policy) -> None:
    drafts = list(corpus_drafts())
    assert drafts
    for draft in drafts:
        for context in CONTEXTS:
            item = {**draft, **context}
            assert check(policy, item) == reference_check(policy, item), item


def _vocabulary() -> list[str]:
    """Terms, pattern literals and awkward characters, to build drafts that hit rules."""
    words: set[str] = set()
    for terms in POLICY.lists.values():
        words.update(terms[:8])
    for rule in POLICY.rules:
        for name in ("trigger", "requires", "unless", "exceptions"):
            matcher = getattr(rule.logic, name, None)
            if isinstance(matcher, Matcher):
                for needles in matcher.needles:
                    words.update(sorted(needles or ())[:6])
    words.update(["wordt", "ingevoerd", "is", "being", "banned", "Stem op", "VVD", "@vvd"])
    return sorted(words)


VOCABULARY = _vocabulary()
DRAFT_TEXT = st.lists(
    st.one_of(
        st.sampled_from(VOCABULARY),
        st.sampled_from([" ", " ", "\n", ". ", "!", "#", "é", "\u200b", "𝐀𝐁", "🎉", "06-12345678"]),
        st.text(max_size=5),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(DRAFT_TEXT, st.sampled_from(CONTEXTS))
def test_generated_drafts_match_the_plain_engine(text: str, context: dict[str, Any]) -> None:
    draft = {"text": text, **context}
    assert check(POLICY, draft) == reference_check(POLICY, draft)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | DRAFT_TEXT)
def test_fast_fold_matches_folding_by_character(text: str) -> None:
    fast, slow = normalise(text), normalise_by_char(text)
    assert fast.text == slow.text
    for start in range(len(fast.text) + 1):
        for end in (start, min(len(fast.text), start + 1), len(fast.text)):
            if end >= start:
                assert fast.to_original(start, end) == slow.to_original(start, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40))
def test_simple_text_has_one_grapheme_per_character(text: str) -> None:
    if _one_cluster_per_char(text):
        assert grapheme.length(text) == len(text) - text.count("\r\n")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(DRAFT_TEXT | st.text(max_size=40), st.sampled_from(CONTEXTS))
def test_a_rule_finds_nothing_without_its_features(text: str, context: dict[str, Any]) -> None:
    analysis = analyse(POLICY, parse_draft({"text": text, **context}))
    mask = feature_mask(analysis)
    for rule in POLICY.rules:
        alternatives = rule.logic.feature_gate()
        if alternatives is None or rule.logic.needs():
            continue  # no feature test, or its terms may still let it run
        if not any(mask_of(names) & mask == mask_of(names) for names in alternatives):
            assert not list(rule.logic.find(analysis)), rule.id


SENTENCE_TEXT = st.lists(
    st.sampled_from(
        ["a", "bb", "c-d", "e'f", "_", "1", " ", "  ", ". ", "! ", "…", "\n", '." ', "é", "’"]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(SENTENCE_TEXT | st.text(max_size=80), st.integers(min_value=0, max_value=6))
def test_long_sentences_are_the_sentences_over_the_limit(text: str, limit: int) -> None:
    analysis = analyse(POLICY, parse_draft({"text": text}))
    assert analysis.most_words() >= analysis.word_count()
    expected = [s for s in analysis.sentences() if s[2] > limit]
    assert analysis.long_sentences(limit) == expected


@settings(max_examples=300, deadline=None)
@given(SENTENCE_TEXT | st.text(max_size=80))
def test_sentence_starts_are_where_the_sentences_start(text: str) -> None:
    analysis = analyse(POLICY, parse_draft({"text": text}))
    assert analysis.sentence_starts() == [start for start, _, _ in analysis.sentences()]


PHONE_SEPARATOR = st.sampled_from(
    ["", " ", "-", ".", "/", "(", ")", "\u00a0", "\u2013", "\u200b", ",", ":", "x", " - ", "a"]
)
PHONE_TEXT = st.builds(
    lambda before, prefix, groups, after: before + prefix + "".join(groups) + after,
    st.sampled_from(["", "Bel ", "tel. ", "(", "nr 12 en "]),
    st.sampled_from(["06", "+316", "0031 6", "020", "+32 2", "0470", "+44 20", "0800", ""]),
    st.lists(
        st.tuples(PHONE_SEPARATOR, st.text("0123456789０٣", min_size=2, max_size=4)).map("".join),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["", ".", " of mail", "5", "-12"]),
)


@settings(max_examples=400, deadline=None)
@given(PHONE_TEXT, st.sampled_from(["personal", "organisational"]))
def test_phone_numbers_are_found_with_or_without_the_digit_test(text: str, kind: str) -> None:
    analysis = analyse(POLICY, parse_draft({"text": text, "account": {"kind": kind}}))
    found = recognizers_module.find_phone(analysis)
    with patch.object(recognizers_module, "PHONE_DIGITS", re.compile("")):
        assert recognizers_module.find_phone(analysis) == found


GATED = [
    r"\b(?:wordt|worden)\s+(?:\S+\s+){0,4}?(?:ingevoerd|verboden)\b",
    r"\bis introducing\b",
    r"\b\w*(?:belasting|tarief)\w*\s+(?:gaat|gaan)\s+omhoog",
    r"(a|b)c(d|e)f",
    r"x?yz",
    r"a(?=x)b|cd",
    r"[\u1D00-\u1D2B]{2,}",
    r"[\uFF21-\uFF3A][\uFF21-\uFF3A\s]*",
    r"(?<![\w@])@[\w.-]*(?:reporter|journalist)",
    r"ab+c",
    r"(?:ab|cd)(?:ef|gh)",
    r"\d+ euro",
    r"[xy]z",
]
PATTERN_TEXT = st.lists(
    st.sampled_from(list("abcdefghxyz @.-\n1") + ["ᴀ", "Ａ", "wordt ", "is ", "euro"]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(PATTERN_TEXT, st.sampled_from(GATED))
def test_a_pattern_only_matches_text_that_passes_its_gate(text: str, source: str) -> None:
    pattern = re.compile(source)
    gate = pattern_gate(pattern)
    if gate is None or not pattern.search(text):
        return
    assert contains_any(text, gate.needles) or (gate.non_ascii and not text.isascii())
    index = NeedleIndex(set(gate.needles) | {"a", "ab", "b"})
    assert not index.found(text).isdisjoint(gate.needles) or gate.non_ascii


WORD_OPENING = [
    r"\w*(?:ab|b c|\bfile\b)\w*",
    r"\w*\s+x",
    r"\w+a",
    r"\w*(?<=a)b",
    r"\w*(?:a|\bb|-c)",
    r"\w*(?=cd)c",
    r"(?i)\w*AB",
    r"\w*é\w*",
    *sorted(
        {
            pattern.pattern
            for rule in POLICY.rules
            for name in ("trigger", "requires", "unless", "exceptions")
            if isinstance(matcher := getattr(rule.logic, name, None), Matcher)
            for pattern in matcher.patterns
            if scan.word_start_pattern(pattern) is not None
        }
    ),
]
WORDY_TEXT = st.lists(
    st.sampled_from(list("abcx -_.,é\n") + ["file", "cd", "ab", "b c", "permit", "zaak", "’"]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(WORDY_TEXT | st.text(max_size=30), st.sampled_from(WORD_OPENING))
def test_word_start_scan_finds_what_finditer_finds(text: str, source: str) -> None:
    pattern = re.compile(source)
    found = [m.span() for m in scan.finditer(pattern, text)]
    assert found == [m.span() for m in pattern.finditer(text)]


def test_only_patterns_that_open_with_a_word_run_get_the_word_start_scan() -> None:
    assert scan.word_start_pattern(re.compile(r"\w*(?:permit|grant)\w*")) is not None
    for source in [r"\w{0,8}x", r"\w*", r"x\w*", r"(\w)\w*\1", r"\w*x|y", r"\w*?x"]:
        assert scan.word_start_pattern(re.compile(source)) is None, source


def test_case_insensitive_and_empty_patterns_get_no_gate() -> None:
    assert pattern_gate(re.compile("(?i)abc")) is None
    assert pattern_gate(re.compile("a*")) is None
    assert pattern_gate(re.compile("x|")) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcis ")), max_size=30))
def test_needle_index_finds_overlapping_needles(text: str) -> None:
    needles = {"is", "isa", "sa", "a", "ab", "bc", "cis", "s a"}
    assert NeedleIndex(needles).found(text) == {n for n in needles if n in text}


def test_channel_advice_is_a_fresh_copy() -> None:
    first = check(POLICY, {"text": "Fijne dag"})
    first["channels"][0]["fit"] = "changed"
    assert check(POLICY, {"text": "Fijne dag"})["channels"][0]["fit"] != "changed"
