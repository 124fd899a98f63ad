"""``check``: run a policy on one draft and return the DESIGN §4 output object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from civicpost.policy import channels, domain, language
from civicpost.policy.analysis import Analysis
from civicpost.policy.cues import CONTEXT_KEY
from civicpost.policy.errors import InputError
from civicpost.policy.kinds.follows import FINDINGS_KEY
from civicpost.policy.model import (
    ACCOUNT_KINDS,
    LANGUAGES,
    LEVEL_RANK,
    Colleague,
    Draft,
    Facts,
    Media,
    Policy,
)
from civicpost.policy.normalize import normalise
from civicpost.policy.plan import RuleRun, plan_for
from civicpost.policy.plan import message_template as _template
from civicpost.policy.recognizers import find_named_colleagues

_EMPTY: Mapping[str, Any] = {}


def _mapping(value: Any) -> Mapping[str, Any]:
    # JSON input gives plain dicts; the ABC check is the slow path for other mappings.
    if type(value) is dict or isinstance(value, Mapping):
        return value
    return _EMPTY


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


# Parsed ISO dates by their text: drafts share few dates, and parsing costs more than a lookup.
_DATES: dict[str, dt.date | None] = {}
_DATES_KEPT = 4096


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        day = value[:10]
        if day in _DATES:
            return _DATES[day]
        try:
            parsed: dt.date | None = dt.date.fromisoformat(day)
        except ValueError:
            parsed = None
        if len(_DATES) < _DATES_KEPT:
            _DATES[day] = parsed
        return parsed
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
    get = data.get
    account = get("account")
    if type(account) is not dict:
        account = _mapping(account)
    author = get("author")
    if type(author) is not dict:
        author = _mapping(author)
    kind = account.get("kind")
    lang = get("lang")
    colleagues = []
    for item in get("colleagues") or ():
        if type(item) is dict or isinstance(item, Mapping):
            colleagues.append(
                Colleague(
                    _text(item.get("name")), _text(item.get("handle")), item.get("consent") is True
                )
            )
    media = []
    for item in get("media") or ():
        if type(item) is dict or isinstance(item, Mapping):
            alt = item.get("alt")
            media.append(
                Media(_text(item.get("kind")) or "image", alt if isinstance(alt, str) else None)
            )
    dossiers = author.get("dossiers")
    channel = account.get("channel")
    handle = account.get("handle")
    role = author.get("role")
    unit = author.get("unit")
    return Draft(
        id=get("id"),
        text=text,
        lang=lang if lang in LANGUAGES else "auto",
        account_kind=kind if kind in ACCOUNT_KINDS else "personal",
        channel=channel if isinstance(channel, str) and channel else None,
        handle=handle if isinstance(handle, str) else "",
        spokesperson=author.get("spokesperson") is True,
        role=role if isinstance(role, str) else "",
        unit=unit if isinstance(unit, str) else "",
        dossiers=tuple([d for d in dossiers if isinstance(d, str) and d.strip()])
        if isinstance(dossiers, (list, tuple))
        else (),
        colleagues=tuple(colleagues),
        media=tuple(media),
        date=_date(get("date")),
    )


def analyse(policy: Policy, draft: Draft) -> Analysis:
    """Normalise the draft, find every term once and work out the facts rules test."""
    view = normalise(draft.text)
    plan = plan_for(policy)
    analysis = Analysis(draft, policy, view, policy.terms.find(view.text))
    analysis.list_exceptions = plan.list_exceptions
    analysis.language = draft.lang if draft.lang in LANGUAGES else language.detect(view.text)
    dossiers = domain.find_dossiers(analysis)
    named = bool(draft.colleagues) and bool(find_named_colleagues(analysis, with_consent=True))
    label, scores, evidence = domain.score(analysis, dossiers, named)
    analysis.facts = _facts(policy, analysis, label, dossiers)
    model = policy.domain_model
    if model is not None and not model.empty:
        # (the plan, built above, put the model's weights in the table of the rules')
        # The learned cues weigh the signals' domain (@domain-...) with the words.
        signals = label
        label, scores, evidence = model.decide(analysis, evidence)
        if label != signals:
            facts = analysis.facts
            facts.domain = label
            facts.formal_announcement = _formal_announcement(analysis, label, facts.urgent)
            analysis._cache.pop(CONTEXT_KEY, None)  # (the context cues hold the domain)
    analysis.domain = {"label": label, "scores": scores, "evidence": evidence}
    return analysis


def _facts(
    policy: Policy, analysis: Analysis, label: str, dossiers: list[tuple[str, int, int]]
) -> Facts:
    draft = analysis.draft
    urgent = analysis.has("list:urgent")
    return Facts(
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
        formal_announcement=_formal_announcement(analysis, label, urgent),
        has_link=bool(analysis.links()),
        open_link=any(
            not channels.is_closed_platform(analysis.text[start:end])
            for start, end in analysis.links()
        ),
    )


def _formal_announcement(analysis: Analysis, label: str, urgent: bool) -> bool:
    return (
        label == "organisation"
        and not urgent
        and analysis.has("list:announcement")
        and (
            analysis.draft.account_kind == "organisational"
            or analysis.has("list:institutional-voice")
            or analysis.grapheme_count() > 1000
        )
    )


def check(policy: Policy, draft: Mapping[str, Any]) -> dict[str, Any]:
    """Check one draft; returns {id, language, domain, findings, channels} (DESIGN §4)."""
    parsed = parse_draft(draft)
    analysis = analyse(policy, parsed)
    facts = analysis.facts
    assert facts is not None
    lang = analysis.language
    account_kind = facts.account_kind
    findings: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    deferring: list[RuleRun] = []  # run second, where their topic is not found yet
    later: list[RuleRun] = []  # rules that read the other rules' findings, run last
    for run in plan_for(policy).candidates(analysis, facts):
        if run.after_findings:
            later.append(run)
        elif run.defers:
            deferring.append(run)
        else:
            _collect(run, analysis, account_kind, findings, seen)
    deferring_ids = frozenset(run.rule.id for run in deferring)
    if deferring:
        found = _ranks_by_topic(findings, deferring_ids)
        for run in deferring:
            rule = run.rule
            if found.get(rule.topic, -1) < LEVEL_RANK[rule.levels.get(account_kind, rule.level)]:
                _collect(run, analysis, account_kind, findings, seen)
        findings = _without_redundant(findings, deferring_ids)
    if later and findings:
        analysis._cache[FINDINGS_KEY] = findings
        topics = {finding["topic"] for finding in findings}
        for run in later:
            if not run.follows.isdisjoint(topics):
                _collect(run, analysis, account_kind, findings, seen)
        if deferring:
            findings = _without_redundant(findings, deferring_ids)
    if len(findings) > 1:
        findings.sort(key=lambda f: (f["start"], f["rule"], f["end"]))
    return {
        "id": parsed.id,
        "language": lang,
        "domain": analysis.domain,
        "findings": findings,
        "channels": channels.advise(
            facts, analysis.grapheme_count(), analysis.web_links() if facts.has_link else ()
        ),
    }


def _collect(
    run: RuleRun,
    analysis: Analysis,
    account_kind: str,
    findings: list[dict[str, Any]],
    seen: set[tuple[str, int, int]],
) -> None:
    """Add the findings of one rule (each place once) to ``findings``."""
    hits = run.find(analysis)
    if not hits:
        return
    rule = run.rule
    rule_id = rule.id
    lang = analysis.language
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


def _ranks_by_topic(findings: list[dict[str, Any]], deferring: frozenset[str]) -> dict[str, int]:
    """The highest level (as a rank) per topic among the findings of rules that do not
    defer."""
    best: dict[str, int] = {}
    for finding in findings:
        if finding["rule"] not in deferring:
            rank = LEVEL_RANK[finding["level"]]
            best[finding["topic"]] = max(rank, best.get(finding["topic"], -1))
    return best


def _without_redundant(
    findings: list[dict[str, Any]], deferring: frozenset[str]
) -> list[dict[str, Any]]:
    """The findings less those of deferring rules whose topic another rule found at the same
    level or higher."""
    best = _ranks_by_topic(findings, deferring)
    return [
        finding
        for finding in findings
        if finding["rule"] not in deferring
        or LEVEL_RANK[finding["level"]] > best.get(finding["topic"], -1)
    ]


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
