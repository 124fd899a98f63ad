"""Template helpers: the unread count, the "waiting for you" box, the consent button."""

from __future__ import annotations

from typing import Any

from django import template

from civicpost.feedback import notifications, services
from civicpost.people.models import Person

register = template.Library()


@register.simple_tag
def unread_notifications(person: Person | None) -> int:
    return notifications.unread_count(person) if person is not None else 0


@register.inclusion_tag("feedback/partials/waiting.html")
def waiting_for_you(person: Person) -> dict[str, Any]:
    return {
        "waiting": list(services.waiting_for(person)[:10]),
        "to_decide": list(services.conflicts_to_decide(person)[:10]),
    }


@register.simple_tag(takes_context=True)
def consent_target(context: template.Context, finding: dict[str, Any], text: str) -> Any:
    """For a `colleagues` finding: the colleague it names and whether they were asked."""
    person = context.get("person")
    if person is None or finding.get("topic") != "colleagues":
        return None
    start, end = int(finding.get("start", 0)), int(finding.get("end", 0))
    if end <= start:
        return None
    colleague = services.colleague_named(person, text[start:end])
    if colleague is None:
        return None
    return {"colleague": colleague, "state": services.consent_state(person, colleague)}


@register.simple_tag
def feedback_summary(draft: Any) -> dict[str, int]:
    requests = list(draft.feedback_requests.all())
    return {
        "asked": len(requests),
        "answered": sum(1 for r in requests if r.answered_at is not None),
        "open_conflicts": draft.conflicts.filter(status="open").count(),
    }
