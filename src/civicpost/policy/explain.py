"""``explain``: what a rule checks, where it comes from, and its texts."""

from __future__ import annotations

from typing import Any

from civicpost.policy.kinds.learned import Learned
from civicpost.policy.model import Policy

# The heaviest cues for and against that ``explain`` names for a learned rule.
CUES_EXPLAINED = 12


def explain(policy: Policy, rule_id: str) -> dict[str, Any]:
    """A rule's description: id, kind, topic, guideline, level(s), texts, source, when, file."""
    try:
        rule = policy.rule(rule_id)
    except KeyError:
        known = [
            r.id for r in policy.rules if r.id.lower().startswith(rule_id.split(".")[0].lower())
        ]
        hint = f" (rules in that pack: {', '.join(known[:10])})" if known else ""
        raise KeyError(f"no rule {rule_id!r}{hint}") from None
    return {
        "id": rule.id,
        "kind": rule.kind,
        "topic": rule.topic,
        "guideline": rule.guideline,
        "level": rule.level,
        "levels": dict(rule.levels),
        "messages": dict(rule.message),
        "suggestion": dict(rule.suggestion),
        "source": {"id": rule.source_id, "url": rule.source_url},
        "when": dict(rule.when_raw),
        "file": f"{rule.file}:{rule.line}",
        "description": str(rule.raw.get("description") or ""),
        **_weights(rule.logic),
    }


def _weights(logic: object) -> dict[str, Any]:
    """For a learned rule: its thresholds, where its weights came from and its heaviest cues."""
    if not isinstance(logic, Learned):
        return {}
    ranked = sorted(logic.weights.items(), key=lambda item: (-item[1], item[0]))
    return {
        "threshold": logic.threshold,
        "suggest_from": logic.suggest_from,
        "trained": dict(logic.trained),
        "cues": len(logic.weights),
        "strongest_cues": [f"{w:+.2f} {cue}" for cue, w in ranked[:CUES_EXPLAINED]],
        "strongest_against": [
            f"{w:+.2f} {cue}" for cue, w in ranked[::-1][:CUES_EXPLAINED] if w < 0
        ],
    }


def render_explanation(info: dict[str, Any]) -> str:
    """A plain-text rendering of ``explain``'s result."""
    levels = ", ".join(f"{k}: {v}" for k, v in info["levels"].items())
    lines = [
        f"{info['id']}  ({info['kind']})",
        f"  topic:      {info['topic']} ({info['guideline']})",
        f"  level:      {info['level']}" + (f"  [{levels}]" if levels else ""),
    ]
    if info["when"]:
        when = ", ".join(f"{k}={v}" for k, v in info["when"].items())
        lines.append(f"  when:       {when}")
    source = info["source"]
    lines.append(f"  source:     {source['id']} {source['url']}".rstrip())
    if info["description"]:
        lines.append(f"  about:      {info['description'].strip()}")
    for lang, text in info["messages"].items():
        lines.append(f"  message {lang}: {text}")
    for lang, text in info["suggestion"].items():
        lines.append(f"  suggest {lang}: {text}")
    if "threshold" in info:
        suggest = info["suggest_from"]
        lines.append(
            f"  fires at:   {info['threshold']}"
            + (f" (suggestion from {suggest})" if suggest is not None else "")
            + f": the sum of the weights of the cues a draft holds ({info['cues']} cues)"
        )
        trained = info["trained"]
        if trained:
            figures = ", ".join(f"{k} {v}" for k, v in trained.items() if k != "corpus")
            lines.append(f"  trained:    {figures}")
        lines.append(f"  for:        {', '.join(info['strongest_cues'])}")
        if info["strongest_against"]:
            lines.append(f"  against:    {', '.join(info['strongest_against'])}")
    lines.append(f"  defined in: {info['file']}")
    return "\n".join(lines) + "\n"
