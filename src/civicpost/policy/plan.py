"""A policy's rules prepared for checking: which rules can fire on a draft, looked up.

A draft triggers few of a policy's rules, and asking each rule in turn costs more than the
rules that do run. So each rule's cheap necessary conditions are worked out once, when the
plan is built, and indexed:

- ``when:`` conditions read only a draft's facts, and drafts share a handful of contexts, so
  the rules that apply in each context are worked out once per context;
- a rule that needs one of its terms (``RuleKind.needs``) is found from the terms the draft
  holds, and one whose patterns need a literal (``kinds.gates``) from the literals it holds;
- a rule that needs draft features (``RuleKind.feature_gate``: a digit, an ``@``, media) is
  looked up by the draft's feature mask, once per context and mask;
- a learned rule runs when the draft's cues add up to its lowest threshold: the cues are
  weighed once for all learned rules (``cues.CueIndex``);
- a rule without any such test always runs.

The result is the same list of rules the plain loop over all rules would run ``find`` on,
less those that cannot find anything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from civicpost.policy.analysis import Analysis
from civicpost.policy.cues import CueIndex
from civicpost.policy.features import feature_mask, mask_of
from civicpost.policy.kinds.base import Matcher
from civicpost.policy.kinds.gates import NeedleIndex
from civicpost.policy.kinds.learned import Learned
from civicpost.policy.model import LANGUAGES, Facts, Policy, Rule

# Contexts whose rules are kept: channel ids come from the input, so contexts have no bound.
_CONTEXTS_KEPT = 4096


def message_template(texts: Mapping[str, str], lang: str) -> str:
    """The text of a message or suggestion for a language (English, else any, as fallback)."""
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


class RuleRun:
    """A rule prepared for checking: what ``check`` reads per hit, worked out once."""

    __slots__ = (
        "rule",
        "find",
        "messages",
        "suggestions",
        "source",
        "defers",
        "after_findings",
        "follows",
    )

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.find = rule.logic.find
        self.defers = rule.logic.defers
        self.follows = rule.logic.reads_topics()
        self.after_findings = bool(self.follows)
        self.messages = {lang: message_template(rule.message, lang) for lang in LANGUAGES}
        self.suggestions = {lang: message_template(rule.suggestion, lang) for lang in LANGUAGES}
        self.source = rule.source_text


class _ContextRules:
    """The rules that apply in one context, and per feature mask those that may fire."""

    __slots__ = ("applicable", "by_mask")

    def __init__(self, applicable: frozenset[int]) -> None:
        self.applicable = applicable
        # feature mask -> (positions, runs): the applicable rules that run without a term or
        # literal of theirs being found (ungated, or one of their feature alternatives holds).
        # At most 2 ** len(FEATURE_BITS) masks, so it needs no bound.
        self.by_mask: dict[int, tuple[frozenset[int], list[RuleRun]]] = {}


class Plan:
    """A policy's rules, indexed by what each needs to be worth running (see module doc)."""

    __slots__ = (
        "rules",
        "count",
        "runs",
        "ungated",
        "feature_masks",
        "by_set",
        "view_index",
        "raw_index",
        "by_view_needle",
        "by_raw_needle",
        "non_ascii_view",
        "non_ascii_raw",
        "by_context",
        "cue_index",
        "domain_model",
        "learned",
        "list_exceptions",
    )

    def __init__(self, policy: Policy) -> None:
        self.rules = policy.rules
        self.count = len(policy.rules)
        self.runs = [RuleRun(rule) for rule in policy.rules]
        self.view_index, self.raw_index = _share_needles(policy.rules)
        self.cue_index = _share_cues(policy)
        self.list_exceptions = _list_exceptions(policy.rules)
        self.domain_model = policy.domain_model
        # (position, slot in ``cue_index``, lowest score) of each learned rule: it runs when
        # the draft's score for it reaches that score.
        self.learned: list[tuple[int, int, float]] = []
        self.ungated: set[int] = set()
        self.feature_masks: dict[int, tuple[int, ...]] = {}
        self.by_set: dict[str, set[int]] = {}
        self.by_view_needle: dict[str, set[int]] = {}
        self.by_raw_needle: dict[str, set[int]] = {}
        self.non_ascii_view: set[int] = set()
        self.non_ascii_raw: set[int] = set()
        self.by_context: dict[tuple[Any, ...], _ContextRules] = {}
        for position, rule in enumerate(policy.rules):
            self._index(position, rule)

    def _index(self, position: int, rule: Rule) -> None:
        """File the rule under each test that lets it run (or as ungated)."""
        logic = rule.logic
        if isinstance(logic, Learned):
            self.learned.append((position, logic.slot, logic.lowest))
            return
        needs = logic.needs()
        matcher = logic.gate_matcher() if needs is not None else None
        gate = matcher.gate() if matcher is not None else None
        alternatives = logic.feature_gate()
        if matcher is not None and (gate is None or matcher.index is None):
            needs = alternatives = None  # a pattern without a test can match anything
        if needs is None and alternatives is None:
            self.ungated.add(position)
            return
        if alternatives is not None:
            self.feature_masks[position] = tuple(mask_of(names) for names in alternatives)
        for set_id in needs or ():
            self.by_set.setdefault(set_id, set()).add(position)
        if matcher is not None and gate is not None:
            needles, non_ascii = gate
            by_needle = self.by_raw_needle if matcher.raw else self.by_view_needle
            for needle in needles:
                by_needle.setdefault(needle, set()).add(position)
            if non_ascii:
                (self.non_ascii_raw if matcher.raw else self.non_ascii_view).add(position)

    def _context(self, facts: Facts) -> _ContextRules:
        key = (
            facts.account_kind,
            facts.channel,
            facts.spokesperson,
            facts.language,
            facts.domain,
            facts.sensitive_period is not None,
            bool(facts.dossiers_found),
            facts.urgent,
            facts.closed_channel,
            facts.formal_announcement,
            facts.has_link,
            facts.open_link,
        )
        context = self.by_context.get(key)
        if context is None:
            context = _ContextRules(
                frozenset(i for i, rule in enumerate(self.rules) if rule.when.holds(facts))
            )
            if len(self.by_context) < _CONTEXTS_KEPT:
                self.by_context[key] = context
        return context

    def _by_mask(self, context: _ContextRules, mask: int) -> tuple[frozenset[int], list[RuleRun]]:
        found = context.by_mask.get(mask)
        if found is None:
            feature_masks = self.feature_masks
            positions = frozenset(
                i
                for i in context.applicable
                if i in self.ungated or any(m & mask == m for m in feature_masks.get(i, ()))
            )
            found = positions, [self.runs[i] for i in sorted(positions)]
            context.by_mask[mask] = found
        return found

    def candidates(self, analysis: Analysis, facts: Facts) -> list[RuleRun]:
        """The rules to run ``find`` on for this draft, in policy order."""
        context = self._context(facts)
        base, runs = self._by_mask(context, feature_mask(analysis))
        triggered: set[int] = set()
        by_set = self.by_set
        for set_id in analysis.term_hits:
            positions = by_set.get(set_id)
            if positions is not None:
                triggered |= positions
        view = analysis.norm.text
        text = analysis.text
        for needle in analysis.needles_found(self.view_index, view):
            triggered |= self.by_view_needle.get(needle, _NO_POSITIONS)
        if self.by_raw_needle:
            for needle in analysis.needles_found(self.raw_index, text):
                triggered |= self.by_raw_needle.get(needle, _NO_POSITIONS)
        if self.learned:
            scores = self.cue_index.scores(analysis)
            triggered.update(
                position for position, slot, lowest in self.learned if scores[slot] >= lowest
            )
        if not view.isascii():
            triggered |= self.non_ascii_view
        if not text.isascii():
            triggered |= self.non_ascii_raw
        if triggered:
            triggered &= context.applicable
            triggered -= base
        if not triggered:
            return runs
        chosen = sorted(base | triggered)
        all_runs = self.runs
        return [all_runs[i] for i in chosen]


_NO_POSITIONS: frozenset[int] = frozenset()


def _matchers(logic: object) -> list[Matcher]:
    """The matchers among a rule kind's fields (kinds are dataclasses)."""
    if not dataclasses.is_dataclass(logic):
        return []
    values = (getattr(logic, f.name, None) for f in dataclasses.fields(logic))
    return [value for value in values if isinstance(value, Matcher)]


def _share_needles(rules: list[Rule]) -> tuple[NeedleIndex, NeedleIndex]:
    """Give the pattern matchers of all rules one needle index per text they scan (the
    normalised view and the raw text), so a draft is scanned once for the literals of every
    pattern (see ``kinds.gates``); returns the two indexes."""
    matchers = [m for rule in rules for m in _matchers(rule.logic) if m.patterns]
    indexes = []
    for raw in (False, True):
        group = [m for m in matchers if m.raw == raw]
        needles = {n for m in group for set_ in m.needles if set_ for n in set_}
        index = NeedleIndex(needles)
        for matcher in group:
            matcher.index = index
        indexes.append(index)
    return indexes[0], indexes[1]


def _list_exceptions(rules: list[Rule]) -> dict[str, frozenset[str]]:
    """Per term list that rules find, the term sets whose overlapping terms every one of
    those rules cancels (its ``exceptions``): "schuldig" in "of hij schuldig is" is not
    meant as the list means it, so the list's cue (``@list:...``) does not count it either."""
    found: dict[str, frozenset[str]] = {}
    for rule in rules:
        trigger = getattr(rule.logic, "trigger", None)
        if not isinstance(trigger, Matcher):
            continue
        exceptions = getattr(rule.logic, "exceptions", None)
        cancelling = (
            frozenset(exceptions.set_ids) if isinstance(exceptions, Matcher) else frozenset()
        )
        for set_id in trigger.set_ids:
            if set_id.startswith("list:"):
                found[set_id] = found[set_id] & cancelling if set_id in found else cancelling
    return {set_id: sets for set_id, sets in found.items() if sets}


def _share_cues(policy: Policy) -> CueIndex:
    """Give the domain model and the learned rules of a policy one table of their weights,
    so that a draft's cues are looked up once for all of them."""
    index = CueIndex()
    if policy.domain_model is not None:
        policy.domain_model.share(index)
    for rule in policy.rules:
        logic = rule.logic
        if isinstance(logic, Learned):
            logic.index = index
            logic.slot = index.add(logic.weights)
    return index


def plan_for(policy: Policy) -> Plan:
    """The policy's plan, rebuilt when its list of rules was replaced or changed length, or
    its domain model was replaced."""
    plan = policy.plan
    if (
        not isinstance(plan, Plan)
        or plan.rules is not policy.rules
        or plan.count != len(policy.rules)
        or plan.domain_model is not policy.domain_model
    ):
        plan = policy.plan = Plan(policy)
    return plan
