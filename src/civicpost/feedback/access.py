"""Who may see and do what. One place, so every view and export asks the same questions.

Feedback on a personal-account draft is seen by its author and the people the author asked;
not by managers, administrators or colleagues who were not asked (P-01). On an organisational
account the draft is the organisation's record, so the author's manager and the communication
team are involved too.
"""

from __future__ import annotations

from civicpost.drafts.models import Draft
from civicpost.people.models import Person, Unit

COMMUNICATION_ROLES = frozenset({Person.Role.COMMUNICATION_ADVISER, Person.Role.SPOKESPERSON})


def is_personal(draft: Draft) -> bool:
    # A draft without an account could still go to a personal account: treat it as personal.
    return draft.account is None or draft.account.is_personal


def is_asked(person: Person, draft: Draft) -> bool:
    return draft.feedback_requests.filter(reviewer=person).exists()


def is_staff_involved(person: Person, draft: Draft) -> bool:
    """The author's manager or the communication team, for an organisational draft only."""
    if is_personal(draft) or person.organisation_id != draft.author.organisation_id:
        return False
    return draft.author.manager_id == person.pk or person.role in COMMUNICATION_ROLES


def decides_a_conflict_on(person: Person, draft: Draft) -> bool:
    return draft.conflicts.filter(decider=person).exists()


def can_view(person: Person, draft: Draft) -> bool:
    """The draft's text and its feedback."""
    if draft.author_id == person.pk or is_asked(person, draft):
        return True
    if is_personal(draft):
        return False
    return is_staff_involved(person, draft) or decides_a_conflict_on(person, draft)


def can_view_conflict(person: Person, draft: Draft) -> bool:
    """The conflict page: the text, the positions, the shared findings and the decision."""
    return can_view(person, draft) or decides_a_conflict_on(person, draft)


def sees_feedback_in_conflict(person: Person, draft: Draft) -> bool:
    """A decider sees the feedback on a personal draft only if they were asked for it."""
    return can_view(person, draft)


def can_open_conflict(person: Person, draft: Draft) -> bool:
    if draft.author_id == person.pk or is_asked(person, draft):
        return True
    return is_staff_involved(person, draft)


def deciding_person(draft: Draft) -> Person | None:
    """The unit's decider, walking up the tree, else the organisation's; never the author."""
    author = draft.author
    unit: Unit | None = author.unit
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        if unit.decider_id and unit.decider_id != author.pk:
            return unit.decider
        unit = unit.parent
    organisation = author.organisation
    if organisation.decider_id and organisation.decider_id != author.pk:
        return organisation.decider
    return None
