"""Feedback circles: start, join (agreeing to the principles), leave, and how quickly they answer.

The answer time is shown for the circle as a whole and only once enough different members have
answered that no single person's speed can be read from it (P-05: no per-person scores).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicpost.feedback import principles
from civicpost.feedback.models import Circle, FeedbackRequest, Membership
from civicpost.people.models import Person

# Fewer distinct answering members than this and the figures would point at people.
MINIMUM_MEMBERS_FOR_FIGURES = 3


class CircleError(Exception):
    """Not allowed: joining a circle of another organisation, asking a circle one is not in."""


@dataclass(frozen=True)
class ResponseFigures:
    """How the circle as a whole answers; never split by person."""

    median_hours: float
    answered_percent: int


def circles_of(person: Person) -> QuerySet[Circle]:
    return Circle.objects.filter(
        memberships__person=person, memberships__left_at__isnull=True
    ).distinct()


def circles_in(person: Person) -> QuerySet[Circle]:
    return Circle.objects.filter(organisation=person.organisation)


def members(circle: Circle) -> QuerySet[Person]:
    return Person.objects.filter(
        pk__in=circle.memberships.filter(left_at__isnull=True).values("person")
    ).order_by("display_name")


def is_member(person: Person, circle: Circle) -> bool:
    return circle.memberships.filter(person=person, left_at__isnull=True).exists()


@transaction.atomic
def start_circle(person: Person, name: str) -> Circle:
    circle = Circle.objects.create(organisation=person.organisation, name=name, started_by=person)
    join(person, circle)
    return circle


@transaction.atomic
def join(person: Person, circle: Circle) -> Membership:
    """Joining records the date and the version of the principles agreed to."""
    if circle.organisation_id != person.organisation_id:
        raise CircleError(_("A circle is for colleagues in one organisation."))
    current = circle.memberships.filter(person=person, left_at__isnull=True).first()
    if current is not None:
        return current
    return Membership.objects.create(
        circle=circle, person=person, principles_version=principles.current_version()
    )


def leave(person: Person, circle: Circle) -> None:
    circle.memberships.filter(person=person, left_at__isnull=True).update(left_at=timezone.now())


def response_figures(circle: Circle) -> ResponseFigures | None:
    """Median time to answer and the share answered, or None while too few have answered."""
    requests = list(FeedbackRequest.objects.filter(circle=circle))
    answered = [r for r in requests if r.answered_at is not None]
    if len({r.reviewer_id for r in answered}) < MINIMUM_MEMBERS_FOR_FIGURES:
        return None
    hours = [(r.answered_at - r.asked_at).total_seconds() / 3600 for r in answered]  # type: ignore[operator]
    return ResponseFigures(
        median_hours=round(statistics.median(hours), 1),
        answered_percent=round(100 * len(answered) / len(requests)),
    )
