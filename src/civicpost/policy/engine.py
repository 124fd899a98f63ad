"""``check``: run a policy on one draft and return the DESIGN §4 output object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from civicpost.policy import channels, domain, language
from civicpost.policy.analysis import Analysis
from civicpost.policy.errors import InputError
from civicpost.policy.model import ACCOUNT_KINDS, LANGUAGES, Colleague, Draft, Facts, Media, Policy
from civicpost.policy.normalize import normalise
from civicpost.policy.recognizers import find_named_colleagues


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> dt.date | None:
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
    if not isinstance(data, Mapping):
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
        if isinstance(item, Mapping):
            colleagues.append(
                Colleague(
                    _text(item.get("name")), _text(item.get("handle")), item.get("consent") is True
                )
            )
    media = []
    for item in data.get("media") or ():
        if isinstance(item, Mapping):
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
        sensitive_period=policy.period_on(draft.date or dt.date.today()),
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


def check(policy: Policy, draft: Mapping[str, Any]) -> dict[str, Any]:
    """Check one draft; returns {id, language, domain, findings, channels} (DESIGN §4)."""
    parsed = parse_draft(draft)
    analysis = analyse(policy, parsed)
    facts = analysis.facts
    assert facts is not None
    lang = analysis.language
    findings: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for rule in policy.rules:
        if not rule.when.holds(facts):
            continue
        for hit in rule.logic.find(analysis):
            key = (rule.id, hit.start, hit.end)
            if key in seen:
                continue
            seen.add(key)
            params = dict(hit.params)
            findings.append(
                {
                    "rule": rule.id,
                    "topic": rule.topic,
                    "guideline": rule.guideline,
                    "level": hit.level or rule.level_for(facts.account_kind),
                    "start": hit.start,
                    "end": hit.end,
                    "message": _render(rule.message, lang, params),
                    "suggestion": _render(rule.suggestion, lang, params),
                    "source": rule.source_text,
                }
            )
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


def _render(texts: Mapping[str, str], lang: str, params: Mapping[str, str]) -> str:
    template = texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")
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
