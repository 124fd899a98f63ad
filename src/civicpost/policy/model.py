"""The vocabulary of the engine: levels, topics, guidelines, domains, rules and findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civicpost.policy.domain_model import DomainModel
    from civicpost.policy.kinds.base import RuleKind
    from civicpost.policy.terms import TermIndex

LEVELS: tuple[str, ...] = ("suggestion", "warning", "error")
LEVEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(LEVELS)}

# Each topic with the guideline it belongs to (DESIGN §4).
TOPIC_GUIDELINES: dict[str, str] = {
    "party-politics": "GCCO-1",
    "tone": "GCCO-1",
    "accuracy": "GCCO-1",
    "own-field": "GCCO-2",
    "confidentiality": "GCCO-2",
    "personal-data": "GCCO-2",
    "due-process": "GCCO-1",
    "mandate": "GCCO-3",
    "private-public": "GCCO-3",
    "account": "BL-B",
    "colleagues": "BL-C",
    "channel": "BL-A",
    "engagement": "GCCO-4",
    "archiving": "GCCO-4",
    "policy-phase": "GCCO-1",
    "sensitive-period": "GCCO-1",
    "accessibility": "ACC",
    "plain-language": "ACC",
}
TOPICS: tuple[str, ...] = tuple(TOPIC_GUIDELINES)
GUIDELINES: tuple[str, ...] = (
    "GCCO-1",
    "GCCO-2",
    "GCCO-3",
    "GCCO-4",
    "BL-A",
    "BL-B",
    "BL-C",
    "ACC",
)
DOMAINS: tuple[str, ...] = ("person", "function", "department", "organisation")
ACCOUNT_KINDS: tuple[str, ...] = ("personal", "organisational")
LANGUAGES: tuple[str, ...] = ("nl", "en")


@dataclass(frozen=True, slots=True)
class Colleague:
    """A colleague the author may name, with their recorded consent."""

    name: str
    handle: str
    consent: bool


@dataclass(frozen=True, slots=True)
class Media:
    """One attached media item."""

    kind: str
    alt: str | None


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft with its context, after defaults have been filled in."""

    id: Any
    text: str
    lang: str
    account_kind: str
    channel: str | None
    handle: str
    spokesperson: bool
    role: str
    unit: str
    dossiers: tuple[str, ...]
    colleagues: tuple[Colleague, ...]
    media: tuple[Media, ...]
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class SensitivePeriod:
    """A period in the organisation's calendar (an election campaign, a caretaker period)."""

    name: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Condition:
    """The context in which a rule applies (its ``when:``); ``None`` means 'any'."""

    account: str | None = None
    channels: tuple[str, ...] | None = None
    spokesperson: bool | None = None
    domains: tuple[str, ...] | None = None
    sensitive_period: bool | None = None
    dossier_overlap: bool | None = None
    language: str | None = None
    urgent: bool | None = None
    closed_channel: bool | None = None
    formal_announcement: bool | None = None
    has_link: bool | None = None
    open_link: bool | None = None

    def holds(self, facts: Facts) -> bool:
        if self.account is not None and facts.account_kind != self.account:
            return False
        if self.channels is not None and facts.channel not in self.channels:
            return False
        if self.spokesperson is not None and facts.spokesperson != self.spokesperson:
            return False
        if self.domains is not None and facts.domain not in self.domains:
            return False
        if self.sensitive_period is not None and (
            (facts.sensitive_period is not None) != self.sensitive_period
        ):
            return False
        if self.dossier_overlap is not None and bool(facts.dossiers_found) != self.dossier_overlap:
            return False
        if self.language is not None and facts.language != self.language:
            return False
        if self.urgent is not None and facts.urgent != self.urgent:
            return False
        if self.closed_channel is not None and facts.closed_channel != self.closed_channel:
            return False
        if (
            self.formal_announcement is not None
            and facts.formal_announcement != self.formal_announcement
        ):
            return False
        if self.has_link is not None and facts.has_link != self.has_link:
            return False
        return self.open_link is None or facts.open_link == self.open_link


@dataclass(slots=True)
class Facts:
    """What the engine knows about a draft before rules run; conditions test these."""

    account_kind: str
    channel: str | None
    spokesperson: bool
    language: str
    domain: str
    sensitive_period: SensitivePeriod | None
    dossiers_found: list[tuple[str, int, int]]
    urgent: bool
    closed_channel: bool
    formal_announcement: bool
    has_link: bool
    open_link: bool = False  # a link to a page outside the closed platforms


@dataclass(slots=True)
class Rule:
    """A rule from a policy pack: the shared header plus its kind's compiled logic."""

    id: str
    kind: str
    topic: str
    guideline: str
    level: str
    levels: dict[str, str]
    message: dict[str, str]
    suggestion: dict[str, str]
    source_id: str
    source_url: str
    when: Condition
    when_raw: dict[str, Any]
    file: str
    line: int
    logic: RuleKind
    raw: dict[str, Any] = field(default_factory=dict)

    def level_for(self, account_kind: str) -> str:
        return self.levels.get(account_kind, self.level)

    @property
    def source_text(self) -> str:
        if self.source_url:
            return f"{self.source_id} ({self.source_url})" if self.source_id else self.source_url
        return self.source_id


@dataclass(slots=True)
class Policy:
    """A loaded policy: its rules in order, term lists, calendar and own contact details."""

    rules: list[Rule]
    lists: dict[str, list[str]]
    calendar: list[SensitivePeriod]
    terms: TermIndex
    files: list[str]
    # The engine's prepared form of the rules (plan.Plan), built on first use. Replacing
    # ``rules`` or changing its length rebuilds it; editing a rule in place does not.
    plan: Any = field(default=None, repr=False, compare=False)
    # Learned domain cues (a pack's domains.yaml), weighed with the transparent signals.
    domain_model: DomainModel | None = field(default=None, repr=False, compare=False)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def period_on(self, day: dt.date | None) -> SensitivePeriod | None:
        if day is None:
            return None
        for period in self.calendar:
            if period.contains(day):
                return period
        return None


@dataclass(frozen=True, slots=True)
class Hit:
    """A match a rule kind found, in original-text offsets, with values for the message."""

    start: int
    end: int
    params: Mapping[str, str] = field(default_factory=dict)
    level: str | None = None  # overrides the rule's level for this hit (weak evidence)
