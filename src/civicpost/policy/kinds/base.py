"""The rule-kind interface, its registry and the helpers kinds use to read their fields."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from civicpost.policy.analysis import Analysis
from civicpost.policy.errors import PolicyProblem
from civicpost.policy.kinds.gates import NeedleIndex, contains_any, pattern_gate
from civicpost.policy.model import Hit
from civicpost.policy.terms import TermIndex
from civicpost.policy.yamlnodes import NodeMap


class RuleKind(ABC):
    """The logic of one rule kind; a compiled instance belongs to one rule."""

    name: ClassVar[str] = ""
    # The kind's own keys, with a one-line description each (shown by ``explain``).
    keys: ClassVar[dict[str, str]] = {}
    # True for kinds whose findings only matter where no other rule of the same topic found
    # something at the same level or higher (``learned``: a hand-written rule says it better).
    defers: ClassVar[bool] = False
    # The highest level a rule of the kind may have (``learned``: it advises, never holds
    # a post back, P-04).
    highest_level: ClassVar[str] = "error"

    @classmethod
    @abstractmethod
    def compile(cls, spec: RuleSpec) -> RuleKind:
        """Read the kind's fields, report problems on ``spec`` and build the logic."""

    @abstractmethod
    def find(self, analysis: Analysis) -> Iterable[Hit]:
        """Every place in the draft where the rule applies, in original offsets."""

    def reads_topics(self) -> frozenset[str]:
        """For a kind that reads the other rules' findings: the topics of the findings it
        can follow. The engine runs such rules last, and not at all when the draft has no
        finding of those topics."""
        return frozenset()

    def needs(self) -> frozenset[str] | None:
        """Term set ids of which at least one must be found for ``find`` to return anything.

        The engine skips the rule (without calling ``find``) when none of them is in the
        draft, ``gate_matcher`` (if any) rules out its patterns too and no alternative of
        ``feature_gate`` holds. ``None``, the default, means there is no such test: a rule
        with neither ``needs`` nor ``feature_gate`` always has to run.
        """
        return None

    def feature_gate(self) -> tuple[frozenset[str], ...] | None:
        """Alternatives of draft features (names in ``features.FEATURE_BITS``): ``find`` can
        only return something when the draft has every feature of one alternative, or one of
        ``needs`` is found. ``None``, the default, means there is no such test."""
        return None

    def gate_matcher(self) -> Matcher | None:
        """A matcher whose patterns may still fire when none of ``needs`` is found."""
        return None


KindT = TypeVar("KindT", bound=type[RuleKind])
KINDS: dict[str, type[RuleKind]] = {}


def register(name: str) -> Callable[[KindT], KindT]:
    """Class decorator adding a rule kind to the registry under ``name``."""

    def decorate(cls: KindT) -> KindT:
        if name in KINDS:
            raise ValueError(f"rule kind {name!r} is already registered")
        cls.name = name
        KINDS[name] = cls
        return cls

    return decorate


@dataclass(slots=True)
class Matcher:
    """Terms (from the shared index), named lists and regexes; yields original spans."""

    set_ids: list[str] = field(default_factory=list)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    raw: bool = False  # patterns run on the original text instead of the normalised view
    # Cheap tests a text must pass for a pattern to match anywhere in it (see ``gates``):
    # scanning a draft with a regex costs far more than finding a literal in it. Per pattern,
    # literals of which the text must hold one (None: no test) and whether a non-ASCII
    # character also lets it through; ``index`` (set by the engine) finds the literals of
    # all patterns of a policy in one scan per draft.
    needles: list[frozenset[str] | None] = field(default_factory=list)
    non_ascii: list[bool] = field(default_factory=list)
    all_needles: frozenset[str] | None = None  # every pattern has needles: their union
    index: NeedleIndex | None = None

    def __post_init__(self) -> None:
        gates = [pattern_gate(p) for p in self.patterns]
        self.needles = [g.needles if g is not None and g.needles else None for g in gates]
        self.non_ascii = [g is not None and g.non_ascii for g in gates]
        if self.patterns and all(self.needles):
            self.all_needles = frozenset().union(*(n for n in self.needles if n))

    def __bool__(self) -> bool:
        return bool(self.set_ids or self.patterns)

    def gate(self) -> tuple[frozenset[str], bool] | None:
        """(needles, non-ASCII): a text can only match a pattern when it holds one of the
        needles or (when the flag is set) a non-ASCII character. None: no such test."""
        if any(n is None and not a for n, a in zip(self.needles, self.non_ascii, strict=True)):
            return None
        needles = frozenset().union(*(n for n in self.needles if n))
        return needles, any(self.non_ascii)

    def _matching(self, analysis: Analysis, source: str) -> list[re.Pattern[str]]:
        """The patterns whose test lets ``source`` through."""
        index = self.index
        found = None if index is None else analysis.needles_found(index, source)
        if self.all_needles is not None:
            if found is not None:
                if found.isdisjoint(self.all_needles):
                    return []
            elif not contains_any(source, self.all_needles):
                return []
        chosen: list[re.Pattern[str]] = []
        for pattern, needles, non_ascii in zip(
            self.patterns, self.needles, self.non_ascii, strict=True
        ):
            if needles is None:
                if not non_ascii or not source.isascii():
                    chosen.append(pattern)
            elif not (
                found.isdisjoint(needles)
                if found is not None
                else not contains_any(source, needles)
            ):
                chosen.append(pattern)
        return chosen

    def spans(self, analysis: Analysis) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for set_id in self.set_ids:
            found.extend(analysis.spans(set_id))
        if self.patterns:
            source = analysis.text if self.raw else analysis.norm.text
            for pattern in self._matching(analysis, source):
                found.extend(analysis.pattern_spans(pattern, self.raw))
        found.sort()
        return found

    def present(self, analysis: Analysis) -> bool:
        if any(analysis.has(set_id) for set_id in self.set_ids):
            return True
        if not self.patterns:
            return False
        source = analysis.text if self.raw else analysis.norm.text
        return any(p.search(source) for p in self._matching(analysis, source))


MATCHER_KEYS = {
    "terms": "phrases to find (a trailing * lets the word continue)",
    "terms_from": "names of shared term lists (organisations can extend them)",
    "patterns": "regular expressions on the normalised (lower-case) text",
}


@dataclass(slots=True)
class RuleSpec:
    """A rule's YAML mapping being compiled: typed getters that report problems with lines."""

    rule_id: str
    file: str
    fields: NodeMap
    terms: TermIndex
    known_lists: set[str]
    problems: list[PolicyProblem]
    _counter: int = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(PolicyProblem(self.file, line, f"{self.rule_id}: {message}"))

    def int_value(
        self, key: str, default: int | None = None, where: NodeMap | None = None
    ) -> int | None:
        where = where or self.fields
        value = where.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(where.value_line(key), f"'{key}' must be a whole number >= 0")
            return default
        return value

    def number(self, key: str, default: float, where: NodeMap | None = None) -> float:
        where = where or self.fields
        value = where.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where.value_line(key), f"'{key}' must be a number")
            return default
        return float(value)

    def string_list(self, key: str, where: NodeMap | None = None) -> list[tuple[str, int]]:
        where = where or self.fields
        items = where.items_with_lines(key)
        good: list[tuple[str, int]] = []
        for value, line in items:
            if isinstance(value, str) and value.strip():
                good.append((value, line))
            else:
                self.problem(line, f"'{key}' must be a list of non-empty strings, not {value!r}")
        return good

    def new_set_id(self, label: str) -> str:
        self._counter += 1
        return f"{self.rule_id}#{label}{self._counter}"

    def term_set(self, terms: list[str], label: str) -> str:
        set_id = self.new_set_id(label)
        self.terms.add(set_id, terms)
        return set_id

    def list_refs(self, key: str, where: NodeMap | None = None) -> list[str]:
        refs: list[str] = []
        for name, line in self.string_list(key, where):
            if name not in self.known_lists:
                known = ", ".join(sorted(self.known_lists)) or "none"
                self.problem(line, f"unknown term list '{name}' (known lists: {known})")
            else:
                refs.append(f"list:{name}")
        return refs

    def regexes(self, key: str, where: NodeMap | None = None) -> list[re.Pattern[str]]:
        compiled: list[re.Pattern[str]] = []
        for source, line in self.string_list(key, where):
            try:
                compiled.append(re.compile(source))
            except re.error as exc:
                self.problem(line, f"bad regular expression {source!r} in '{key}': {exc}")
        return compiled

    def matcher(self, where: NodeMap | None = None, raw: bool = False) -> Matcher:
        """Read terms / terms_from / patterns from a mapping (the rule itself by default)."""
        where = where or self.fields
        set_ids: list[str] = []
        terms = [t for t, _ in self.string_list("terms", where)]
        if terms:
            set_ids.append(self.term_set(terms, "terms"))
        set_ids.extend(self.list_refs("terms_from", where))
        return Matcher(set_ids, self.regexes("patterns", where), raw)

    def sub_matcher(self, key: str, allowed: dict[str, str]) -> tuple[Matcher, NodeMap | None]:
        """A matcher from a nested mapping (``requires:``) or a plain list of terms."""
        node_map = self.fields.sub(key)
        if node_map is None:
            if key not in self.fields:
                return Matcher(), None
            terms = [t for t, _ in self.string_list(key)]
            return (Matcher([self.term_set(terms, key)]) if terms else Matcher()), None
        for sub_key in node_map.key_names():
            if sub_key not in allowed:
                self.problem(
                    node_map.key_line(sub_key),
                    f"unknown key '{sub_key}' in '{key}' (allowed: {', '.join(sorted(allowed))})",
                )
        return self.matcher(node_map), node_map

    def language_map(self, value: Any, line: int, key: str) -> dict[str, str] | None:
        if isinstance(value, str):
            return {"nl": value, "en": value}
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return {str(k): str(v) for k, v in value.items()}
        self.problem(line, f"'{key}' must be a text or a mapping of language to text")
        return None
