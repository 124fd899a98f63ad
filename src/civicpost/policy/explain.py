"""``explain``: what a rule checks, where it comes from, and its texts."""

from __future__ import annotations

from typing import Any

from civicpost.policy.model import Policy


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
    lines.append(f"  defined in: {info['file']}")
    return "\n".join(lines) + "\n"
