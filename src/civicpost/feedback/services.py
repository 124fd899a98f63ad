"""What other apps and the views may ask of the feedback app.

Asking for feedback is always optional: nothing here is consulted before publishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.models import Draft
from civicpost.feedback import access, circles, notifications
from civicpost.feedback.models import Circle, Comment, Conflict, FeedbackRequest, Verdict
from civicpost.people import services as people
from civicpost.people.models import ConsentRequest, Person


class FeedbackError(Exception):
    """Not allowed, or not possible: asking oneself, commenting on a passage not in the text."""


def draft_link(draft: Draft) -> str:
    return reverse("feedback:draft", args=[draft.pk])


def visible_draft(person: Person, draft_id: int) -> Draft:
    """The draft if ``person`` may see its feedback; Draft.DoesNotExist otherwise (a 404)."""
    draft = Draft.objects.select_related("author__organisation", "account").get(pk=draft_id)
    if not access.can_view(person, draft):
        raise Draft.DoesNotExist
    return draft


# -- asking --------------------------------------------------------------------------------


@transaction.atomic
def ask_feedback(
    author: Person,
    draft: Draft,
    reviewers: list[Person] = (),  # type: ignore[assignment]
    circle: Circle | None = None,
    message: str = "",
) -> list[FeedbackRequest]:
    """Ask named colleagues and/or a circle the author belongs to; each is asked once."""
    if draft.author_id != author.pk:
        raise FeedbackError(_("Only the author asks for feedback on a draft."))
    chosen = list(reviewers)
    if circle is not None:
        if not circles.is_member(author, circle):
            raise FeedbackError(_("You can only ask a circle you are a member of."))
        chosen += list(circles.members(circle))
    created: list[FeedbackRequest] = []
    for reviewer in chosen:
        if reviewer.pk == author.pk or reviewer.organisation_id != author.organisation_id:
            continue
        request, new = FeedbackRequest.objects.get_or_create(
            draft=draft,
            reviewer=reviewer,
            defaults={
                "circle": circle if circle and circles.is_member(reviewer, circle) else None,
                "message": message,
            },
        )
        if new:
            created.append(request)
            notifications.notify(
                reviewer, "feedback-asked", draft_link(draft), author=author.display_name
            )
    return created


def request_for(reviewer: Person, draft: Draft) -> FeedbackRequest:
    try:
        return FeedbackRequest.objects.get(draft=draft, reviewer=reviewer)
    except FeedbackRequest.DoesNotExist:
        raise FeedbackError(_("You were not asked for feedback on this draft.")) from None


@transaction.atomic
def give_feedback(reviewer: Person, draft: Draft, verdict: str, summary: str) -> FeedbackRequest:
    if verdict not in Verdict.values:
        raise FeedbackError(f"Unknown verdict {verdict!r}.")
    request = request_for(reviewer, draft)
    request.verdict = verdict
    request.summary = summary.strip()
    first_answer = request.answered_at is None
    if first_answer:
        request.answered_at = timezone.now()
    request.save()
    notifications.notify(
        draft.author, "feedback-given", draft_link(draft), reviewer=reviewer.display_name
    )
    return request


def locate(text: str, quote: str, near: int | None = None) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text``: the occurrence nearest ``near`` if given."""
    if not quote:
        return None
    starts: list[int] = []
    position = text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - near)) if near is not None else starts[0]
    return start, start + len(quote)


@transaction.atomic
def add_comment(
    reviewer: Person, draft: Draft, quote: str, text: str, near: int | None = None
) -> Comment:
    """A comment anchored to a passage of the draft, as it reads now."""
    request = request_for(reviewer, draft)
    quote = quote.strip()
    span = locate(draft.text, quote, near)
    if span is None:
        raise FeedbackError(_("That passage is not in the text of the draft."))
    if not text.strip():
        raise FeedbackError(_("A comment needs some words."))
    return Comment.objects.create(
        request=request, start=span[0], end=span[1], quote=quote, text=text.strip()
    )


@dataclass(frozen=True)
class PlacedComment:
    """A comment and where its passage is in the draft's current text (None: amended away)."""

    comment: Comment
    span: tuple[int, int] | None


def feedback_on(draft: Draft) -> QuerySet[FeedbackRequest]:
    return (
        FeedbackRequest.objects.filter(draft=draft)
        .select_related("reviewer", "circle")
        .prefetch_related("comments")
        .order_by("asked_at", "pk")
    )


def placed_comments(draft: Draft) -> list[PlacedComment]:
    comments = Comment.objects.filter(request__draft=draft).select_related("request__reviewer")
    return [PlacedComment(c, locate(draft.text, c.quote, c.start)) for c in comments]


def marked_segments(draft: Draft, placed: list[PlacedComment]) -> list[dict[str, Any]]:
    """The text cut into plain and commented pieces, for showing comments on their passage."""
    spans = sorted(
        (p.span[0], p.span[1], index + 1) for index, p in enumerate(placed) if p.span is not None
    )
    segments: list[dict[str, Any]] = []
    cursor = 0
    for start, end, number in spans:
        if start < cursor:  # overlapping passages: the later one is listed, not marked
            continue
        if start > cursor:
            segments.append({"text": draft.text[cursor:start], "marked": False})
        segments.append({"text": draft.text[start:end], "marked": True, "number": number})
        cursor = end
    if cursor < len(draft.text):
        segments.append({"text": draft.text[cursor:], "marked": False})
    return segments


# -- what is waiting -----------------------------------------------------------------------


def waiting_for(person: Person) -> QuerySet[FeedbackRequest]:
    """Feedback the person promised and has not given yet."""
    return (
        FeedbackRequest.objects.filter(reviewer=person, answered_at__isnull=True)
        .select_related("draft__author")
        .order_by("asked_at")
    )


def conflicts_to_decide(person: Person) -> QuerySet[Conflict]:
    return Conflict.objects.filter(decider=person, status=Conflict.Status.OPEN).select_related(
        "draft__author"
    )


def open_consent_requests(person: Person) -> QuerySet[ConsentRequest]:
    return ConsentRequest.objects.filter(subject=person, answer="")


def discussable_drafts(person: Person) -> QuerySet[Draft]:
    """Organisational drafts the person is involved in as manager or communication team."""
    organisational = Draft.objects.filter(
        account__kind="organisational", author__organisation=person.organisation
    ).exclude(author=person)
    if person.role in access.COMMUNICATION_ROLES:
        return organisational.select_related("author", "account")
    return organisational.filter(author__manager=person).select_related("author", "account")


# -- consent from a `colleagues` finding ---------------------------------------------------


def colleague_named(author: Person, span_text: str) -> Person | None:
    """The colleague a `colleagues` finding points at: by full name, surname or handle."""
    needle = span_text.strip().lstrip("@").casefold()
    if not needle:
        return None
    matches: list[Person] = []
    for colleague in people.colleagues_of(author).prefetch_related("own_accounts"):
        names = {colleague.display_name.casefold()}
        if colleague.display_name:
            names.add(colleague.display_name.split()[-1].casefold())
        names |= {a.handle.lstrip("@").casefold() for a in colleague.own_accounts.all()}
        if needle in names:
            matches.append(colleague)
    # Two colleagues with the same surname: better no button than asking the wrong one.
    return matches[0] if len(matches) == 1 else None


def ask_consent_for(author: Person, span_text: str) -> tuple[Person, ConsentRequest]:
    colleague = colleague_named(author, span_text)
    if colleague is None:
        raise FeedbackError(_("No single colleague goes by that name."))
    already_asked = consent_state(author, colleague) == "asked"
    request = people.ask_consent(author, colleague)
    if not already_asked:
        notifications.notify(
            colleague, "consent-asked", reverse("web:consent"), requester=author.display_name
        )
    return colleague, request


def consent_state(author: Person, colleague: Person) -> str:
    """``given``, ``asked`` or ``none``: what the button next to a finding should say."""
    if people.has_consent(colleague, author):
        return "given"
    if ConsentRequest.objects.filter(requester=author, subject=colleague, answer="").exists():
        return "asked"
    return "none"


# -- the process record archived with an organisational post -------------------------------


def process_record_for(draft: Draft) -> dict[str, Any]:
    """Feedback asked and given, verdicts and decisions; {} for a personal-account draft."""
    if access.is_personal(draft):
        return {}
    feedback = [
        {
            "reviewer": request.reviewer.display_name,
            "asked_at": request.asked_at.isoformat(),
            "answered_at": request.answered_at.isoformat() if request.answered_at else None,
            "verdict": request.verdict,
            "summary": request.summary,
            "comments": [
                {"quote": c.quote, "start": c.start, "end": c.end, "text": c.text}
                for c in request.comments.all()
            ],
        }
        for request in feedback_on(draft)
    ]
    conflicts = [
        {
            "opened_by": conflict.opened_by.display_name,
            "opened_at": conflict.opened_at.isoformat(),
            "reason": conflict.reason,
            "decider": conflict.decider.display_name,
            "decision": conflict.decision,
            "reasoning": conflict.reasoning,
            "decided_at": conflict.decided_at.isoformat() if conflict.decided_at else None,
        }
        for conflict in draft.conflicts.select_related("opened_by", "decider").order_by("pk")
    ]
    return {"feedback": feedback, "conflicts": conflicts}
