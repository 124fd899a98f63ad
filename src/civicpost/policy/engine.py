"""``check``: run a policy on one draft and return the DESIGN §4 output object."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from civicpost.policy import channels, domain, language
from civicpost.policy.analysis import Analysis
from civicpost.policy.errors import InputError
from civicpost.policy.kinds.base import Matcher
from civicpost.policy.kinds.gates import NeedleIndex
from civicpost.policy.model import (
    ACCOUNT_KINDS,
    LANGUAGES,
    Colleague,
    Draft,
    Facts,
    Media,
    Policy,
    Rule,
)
from civicpost.policy.normalize import normalise
from civicpost.policy.recognizers import find_named_colleagues

_EMPTY: Mapping[str, Any] = {}


def _mapping(value: Any) -> Mapping[str, Any]:
    # JSON input gives plain dicts; the ABC check is the slow path for other mappings.
    if type(value) is dict or isinstance(value, Mapping):
        return value
    return _EMPTY


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def parse_draft(data: Mapping[str, Any]) -> Draft:
    """A draft from an input object: only ``text`` is required, odd fields get defaults."""
    if type(data) is not dict and not isinstance(data, Mapping):
        raise InputError("a draft must be a JSON object with a 'text' field")
    if "text" not in data:
        raise InputError("the draft has no 'text' field")
    text = data["text"]
    if not isinstance(text, str):
        raise InputError(f"'text' must be a string, not {type(text).__name__}")
    account = _mapping(data.get("account"))
    author = _mapping(data.get("author"))
    kind = account.get("kind")
    lang = data.get("lang")
    colleagues = []
    for item in data.get("colleagues") or ():
        if type(item) is dict or isinstance(item, Mapping):
            colleagues.append(
                Colleague(
                    _text(item.get("name")), _text(item.get("handle")), item.get("consent") is True
                )
            )
    media = []
    for item in data.get("media") or ():
        if type(item) is dict or isinstance(item, Mapping):
            alt = item.get("alt")
            media.append(
                Media(_text(item.get("kind")) or "image", alt if isinstance(alt, str) else None)
            )
    dossiers = author.get("dossiers")
    channel = account.get("channel")
    return Draft(
        id=data.get("id"),
        text=text,
        lang=lang if lang in LANGUAGES else "auto",
        account_kind=kind if kind in ACCOUNT_KINDS else "personal",
        channel=channel if isinstance(channel, str) and channel else None,
        handle=_text(account.get("handle")),
        spokesperson=author.get("spokesperson") is True,
        role=_text(author.get("role")),
        unit=_text(author.get("unit")),
        dossiers=tuple(d for d in dossiers if isinstance(d, str) and d.strip())
        if isinstance(dossiers, list | tuple)
        else (),
        colleagues=tuple(colleagues),
        media=tuple(media),
        date=_date(data.get("date")),
    )


def analyse(policy: Policy, draft: Draft) -> Analysis:
    """Normalise the draft, find every term once and work out the facts rules test."""
    view = normalise(draft.text)
    analysis = Analysis(draft, policy, view, policy.terms.find(view.text))
    analysis.language = draft.lang if draft.lang in LANGUAGES else language.detect(view.text)
    dossiers = domain.find_dossiers(analysis)
    named = bool(draft.colleagues) and bool(find_named_colleagues(analysis, with_consent=True))
    label, scores, evidence = domain.score(analysis, dossiers, named)
    urgent = analysis.has("list:urgent")
    analysis.facts = Facts(
        account_kind=draft.account_kind,
        channel=draft.channel,
        spokesperson=draft.spokesperson,
        language=analysis.language,
        domain=label,
        # (no calendar, no period: spares asking the clock for today's date)
        sensitive_period=policy.period_on(draft.date or dt.date.today())
        if policy.calendar
        else None,
        dossiers_found=dossiers,
        urgent=urgent,
        closed_channel=(draft.channel or "") in channels.CLOSED_CHANNELS,
        formal_announcement=label == "organisation"
        and not urgent
        and analysis.has("list:announcement")
        and (
            draft.account_kind == "organisational"
            or analysis.has("list:institutional-voice")
            or analysis.grapheme_count() > 1000
        ),
        has_link=bool(analysis.links()),
    )
    analysis.domain = {"label": label, "scores": scores, "evidence": evidence}
    return analysis


class _Run:
    """A rule prepared for checking: what ``check`` reads per hit, worked out once."""

    __slots__ = (
        "rule",
        "find",
        "needs",
        "matcher",
        "needles",
        "non_ascii",
        "messages",
        "suggestions",
        "source",
    )

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.find = rule.logic.find
        # The rule runs only if one of ``needs`` (term set ids) is found, or its matcher's
        # patterns pass their cheap test (one of ``needles``, or a non-ASCII character).
        self.needs = rule.logic.needs()
        self.matcher = rule.logic.gate_matcher() if self.needs is not None else None
        gate = self.matcher.gate() if self.matcher is not None else None
        if self.matcher is not None and gate is None:
            self.needs = self.matcher = None  # a pattern without a test: always run
        self.needles, self.non_ascii = gate or (frozenset(), False)
        self.messages = {lang: _template(rule.message, lang) for lang in LANGUAGES}
        self.suggestions = {lang: _template(rule.suggestion, lang) for lang in LANGUAGES}
        self.source = rule.source_text

    def patterns_absent(self, analysis: Analysis) -> bool:
        """True when no pattern of the rule's matcher can match (none of ``needs`` found)."""
        matcher = self.matcher
        if matcher is None:
            return True
        source = analysis.text if matcher.raw else analysis.norm.text
        if self.non_ascii and not source.isascii():
            return False
        if matcher.index is None:
            return False
        return analysis.needles_found(matcher.index, source).isdisjoint(self.needles)


class _Plan:
    """A policy's rules prepared for checking, and which of them apply in each context.

    ``when:`` conditions read only the facts of a draft, never its text, and drafts share a
    handful of contexts, so each context's list of applicable rules is worked out once.
    """

    __slots__ = ("rules", "count", "runs", "by_context")

    def __init__(self, policy: Policy) -> None:
        self.rules = policy.rules
        self.count = len(policy.rules)
        self.runs = [_Run(rule) for rule in policy.rules]
        self.by_context: dict[tuple[Any, ...], list[_Run]] = {}
        _share_needles(policy.rules)

    def applicable(self, facts: Facts) -> list[_Run]:
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
        )
        runs = self.by_context.get(key)
        if runs is None:
            runs = [run for run in self.runs if run.rule.when.holds(facts)]
            if len(self.by_context) < _CONTEXTS_KEPT:  # channel ids come from the input
                self.by_context[key] = runs
        return runs


_CONTEXTS_KEPT = 4096


def _matchers(logic: object) -> list[Matcher]:
    """The matchers among a rule kind's fields (kinds are dataclasses)."""
    if not dataclasses.is_dataclass(logic):
        return []
    values = (getattr(logic, f.name, None) for f in dataclasses.fields(logic))
    return [value for value in values if isinstance(value, Matcher)]


def _share_needles(rules: list[Rule]) -> None:
    """Give the pattern matchers of all rules one needle index per text they scan, so a
    draft is scanned once for the literals of every pattern (see ``kinds.gates``)."""
    matchers = [m for rule in rules for m in _matchers(rule.logic) if m.patterns]
    for raw in (False, True):
        group = [m for m in matchers if m.raw == raw]
        needles = {n for m in group for set_ in m.needles if set_ for n in set_}
        index = NeedleIndex(needles)
        for matcher in group:
            matcher.index = index


def _plan(policy: Policy) -> _Plan:
    """The policy's plan, rebuilt when its list of rules was replaced or changed length."""
    plan = policy.plan
    if (
        not isinstance(plan, _Plan)
        or plan.rules is not policy.rules
        or plan.count != len(policy.rules)
    ):
        plan = policy.plan = _Plan(policy)
    return plan


def check(policy: Policy, draft: Mapping[str, Any]) -> dict[str, Any]:
    """Check one draft; returns {id, language, domain, findings, channels} (DESIGN §4)."""
    parsed = parse_draft(draft)
    analysis = analyse(policy, parsed)
    facts = analysis.facts
    assert facts is not None
    lang = analysis.language
    account_kind = facts.account_kind
    found_sets = analysis.term_hits.keys()
    findings: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for run in _plan(policy).applicable(facts):
        needs = run.needs
        if needs is not None and found_sets.isdisjoint(needs) and run.patterns_absent(analysis):
            continue  # none of the terms or literals the rule looks for is in the draft
        hits = run.find(analysis)
        if not hits:
            continue
        rule = run.rule
        rule_id = rule.id
        message = run.messages.get(lang) or _template(rule.message, lang)
        suggestion = run.suggestions.get(lang) or _template(rule.suggestion, lang)
        for hit in hits:
            key = (rule_id, hit.start, hit.end)
            if key in seen:
                continue
            seen.add(key)
            findings.append(
                {
                    "rule": rule_id,
                    "topic": rule.topic,
                    "guideline": rule.guideline,
                    "level": hit.level or rule.levels.get(account_kind, rule.level),
                    "start": hit.start,
                    "end": hit.end,
                    "message": _fill(message, hit.params),
                    "suggestion": _fill(suggestion, hit.params),
                    "source": run.source,
                }
            )
    if len(findings) > 1:
        findings.sort(key=lambda f: (f["start"], f["rule"], f["end"]))
    return {
        "id": parsed.id,
        "language": lang,
        "domain": analysis.domain,
        "findings": findings,
        "channels": channels.advise(facts, analysis.grapheme_count()),
    }


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _template(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def _fill(template: str, params: Mapping[str, str]) -> str:
    if "{" not in template:
        return template
    try:
        return template.format_map(_Params(params))
    except (ValueError, IndexError):
        return template


def check_many(policy: Policy, drafts: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Check drafts one by one as they come (a generator: nothing is read ahead)."""
    for draft in drafts:
        yield check(policy, draft)
