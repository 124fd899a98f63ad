"""Conflicts: who may open them, who decides, the final decision, timeline and archive."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from civicpost.archive.models import Capture
from civicpost.drafts.models import Draft
from civicpost.feedback import access, conflicts, services
from civicpost.feedback.models import Conflict, ConflictEvent, Decision, Verdict
from civicpost.people.models import Account

from .conftest import make_draft

pytestmark = pytest.mark.django_db


def test_deciding_person_walks_up_the_unit_tree(ministry) -> None:
    femke_draft = make_draft(ministry["femke"], "@femke@warmte.example")
    assert access.deciding_person(femke_draft) == ministry["dirk"]  # unit Energie en Warmte
    hanna_draft = make_draft(ministry["hanna"], "@hanna-kust.bsky.example")
    # Kustbeheer and its parent Waterveiligheid name nobody: the organisation's decider.
    assert access.deciding_person(hanna_draft) == ministry["minister"]
    kustbeheer = ministry["hanna"].unit
    kustbeheer.parent.decider = ministry["daan"]
    kustbeheer.parent.save()
    assert access.deciding_person(hanna_draft) == ministry["daan"]


def test_nobody_is_the_deciding_person_for_their_own_post(ministry) -> None:
    minister = ministry["minister"]
    own = Draft.objects.create(author=minister, purpose="trends", text="Mijn eigen bericht.")
    assert access.deciding_person(own) is None
    with pytest.raises(conflicts.ConflictError):
        conflicts.open_conflict(minister, own, "Twijfel.")


@pytest.mark.parametrize("username", ["anna", "daan", "bram", "carla"])
def test_involved_people_can_open_a_conflict_on_an_organisational_draft(
    ministry, org_draft: Draft, username: str
) -> None:
    conflict = conflicts.open_conflict(ministry[username], org_draft, "Niet eens.")
    assert conflict.decider == ministry["minister"]
    assert conflict.events.get().action == ConflictEvent.Action.OPENED


def test_uninvolved_colleagues_cannot_open_a_conflict(ministry, org_draft, personal_draft) -> None:
    with pytest.raises(conflicts.ConflictError):
        conflicts.open_conflict(ministry["femke"], org_draft, "Niet eens.")
    # On a personal draft the manager is not involved: they do not even see it.
    with pytest.raises(conflicts.ConflictError):
        conflicts.open_conflict(ministry["daan"], personal_draft, "Niet eens.")


def test_only_the_configured_decider_decides(ministry, org_draft: Draft) -> None:
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Te stellig.")
    for username in ("daan", "dirk", "ivo", "bram", "anna"):
        with pytest.raises(conflicts.ConflictError):
            conflicts.decide(ministry[username], conflict.pk, Decision.KEEP, "Omdat.")
    conflict.refresh_from_db()
    assert conflict.is_open


def test_nobody_decides_a_conflict_about_their_own_post(ministry) -> None:
    # The director decides for Energie en Warmte, but not about a post he wrote himself.
    femke = ministry["femke"]
    dirk = ministry["dirk"]
    dirk.unit = femke.unit
    dirk.save()
    Account.objects.get(handle="www.dijkenduinen.example").posters.add(dirk)
    draft = make_draft(dirk, "www.dijkenduinen.example")
    conflict = conflicts.open_conflict(dirk, draft, "Graag een besluit.")
    assert conflict.decider == ministry["minister"]
    # Even if the record were pointed at him, the author cannot decide.
    Conflict.objects.filter(pk=conflict.pk).update(decider=dirk)
    with pytest.raises(conflicts.ConflictError):
        conflicts.decide(dirk, conflict.pk, Decision.KEEP, "Prima zo.")


def test_decision_is_final_and_everyone_involved_is_told(ministry, org_draft: Draft) -> None:
    anna, bram, daan, minister = (ministry[n] for n in ("anna", "bram", "daan", "minister"))
    services.ask_feedback(anna, org_draft, [bram])
    services.give_feedback(bram, org_draft, Verdict.CONSIDER, "Hmm.")
    conflict = conflicts.open_conflict(daan, org_draft, "Te stellig.")
    conflicts.add_position(anna, conflict, "Ik pas het aan.")
    conflicts.decide(minister, conflict.pk, Decision.AMEND, "Zakelijker formuleren.")
    conflict.refresh_from_db()
    assert (conflict.decision, conflict.status) == ("amend", "decided")
    with pytest.raises(conflicts.ConflictError):
        conflicts.decide(minister, conflict.pk, Decision.KEEP, "Toch niet.")
    with pytest.raises(conflicts.ConflictError):
        conflicts.add_position(bram, conflict, "Te laat.")
    for person in (anna, bram, daan, minister):
        assert person.notifications.filter(kind="conflict-decided").exists(), person
    assert not ministry["femke"].notifications.exists()
    actions = list(conflict.events.values_list("action", flat=True))
    assert actions == ["opened", "position", "decided", "archived"]


def test_decision_on_an_organisational_draft_is_archived(ministry, org_draft: Draft) -> None:
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Te stellig.")
    conflicts.decide(ministry["minister"], conflict.pk, Decision.AMEND, "Zakelijker.")
    capture = Capture.objects.get(kind="decision")
    assert capture.remote_id == f"draft:{org_draft.pk}"
    assert capture.account == org_draft.account
    content = json.loads(capture.content.content)
    assert "Zakelijker." in capture.content.content
    assert ministry["minister"].display_name in capture.content.content
    assert isinstance(content, dict)


def test_decision_on_a_personal_draft_is_never_archived(ministry, personal_draft) -> None:
    conflict = conflicts.open_conflict(ministry["anna"], personal_draft, "Twijfel.")
    conflicts.decide(ministry["minister"], conflict.pk, Decision.KEEP, "Prima.")
    assert not Capture.objects.filter(kind="decision").exists()


def test_amending_the_draft_is_in_the_timeline(ministry, org_draft: Draft) -> None:
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Te stellig.")
    org_draft.text = "Zakelijker."
    org_draft.save()
    assert conflict.events.filter(action=ConflictEvent.Action.AMENDED).exists()


def test_remove_of_a_published_post_is_pending_without_publishing(
    ministry, org_draft: Draft, monkeypatch
) -> None:
    publication = SimpleNamespace(remote_id="109876")
    monkeypatch.setattr(conflicts, "publication_of", lambda draft: publication)
    from civicpost.publishing import services as publishing

    if hasattr(publishing, "delete_publication"):
        monkeypatch.delattr(publishing, "delete_publication")
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Moet weg.")
    conflicts.decide(ministry["minister"], conflict.pk, Decision.REMOVE, "Onjuist.")
    conflict.refresh_from_db()
    assert conflict.removal == Conflict.Removal.PENDING
    assert Capture.objects.get(kind="decision").remote_id == "109876"


def test_remove_of_a_published_post_deletes_it_when_publishing_can(
    ministry, org_draft: Draft, monkeypatch
) -> None:
    publication = SimpleNamespace(remote_id="109876")
    deleted: list[object] = []
    monkeypatch.setattr(conflicts, "publication_of", lambda draft: publication)
    from civicpost.publishing import services as publishing

    monkeypatch.setattr(publishing, "delete_publication", deleted.append, raising=False)
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Moet weg.")
    conflicts.decide(ministry["minister"], conflict.pk, Decision.REMOVE, "Onjuist.")
    conflict.refresh_from_db()
    assert deleted == [publication]
    assert conflict.removal == Conflict.Removal.DONE


def test_author_shares_chosen_findings_with_the_decider(ministry, login, org_draft) -> None:
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Te stellig.")
    client = login("anna")
    page = client.get(f"/feedback/conflicts/{conflict.pk}/").content.decode()
    assert "Burgerlink.Colleagues" in page  # offered to the author to share
    client.post(f"/feedback/conflicts/{conflict.pk}/share/", {"findings": ["0"]})
    conflict.refresh_from_db()
    assert len(conflict.shared_findings) == 1
    client.logout()
    page = login("minister").get(f"/feedback/conflicts/{conflict.pk}/").content.decode()
    assert conflict.shared_findings[0]["rule"] in page


def test_decide_route_refuses_everyone_but_the_decider(ministry, login, org_draft) -> None:
    conflict = conflicts.open_conflict(ministry["daan"], org_draft, "Te stellig.")
    data = {"decision": "keep", "reasoning": "Prima."}
    for username in ("anna", "daan"):
        client = login(username)
        assert client.post(f"/feedback/conflicts/{conflict.pk}/decide/", data).status_code == 403
        client.logout()
    client = login("minister")
    assert client.post(f"/feedback/conflicts/{conflict.pk}/decide/", data).status_code == 302
    conflict.refresh_from_db()
    assert conflict.decision == "keep"
