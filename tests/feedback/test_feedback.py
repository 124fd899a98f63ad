"""Asking for feedback, answering with comments on spans and a verdict, and the process record."""

from __future__ import annotations

import pytest

from civicpost.drafts.models import Draft
from civicpost.feedback import services
from civicpost.feedback.models import FeedbackRequest, Verdict
from civicpost.people.models import Person

pytestmark = pytest.mark.django_db


def test_author_asks_named_colleagues_once_each(ministry, personal_draft: Draft) -> None:
    anna, bram, carla = ministry["anna"], ministry["bram"], ministry["carla"]
    created = services.ask_feedback(anna, personal_draft, [bram, carla, anna])
    assert {r.reviewer for r in created} == {bram, carla}  # never oneself
    assert services.ask_feedback(anna, personal_draft, [bram]) == []  # asked once
    assert list(services.waiting_for(bram)) == [created[0]]


def test_only_the_author_asks(ministry, personal_draft: Draft) -> None:
    with pytest.raises(services.FeedbackError):
        services.ask_feedback(ministry["daan"], personal_draft, [ministry["bram"]])


def test_comment_is_anchored_to_the_passage_and_survives_an_amendment(
    ministry, personal_draft: Draft
) -> None:
    anna, bram = ministry["anna"], ministry["bram"]
    services.ask_feedback(anna, personal_draft, [bram])
    comment = services.add_comment(bram, personal_draft, "Mooi werk!", "Wat bedoel je precies?")
    assert personal_draft.text[comment.start : comment.end] == "Mooi werk!"

    personal_draft.text = "Eerst dit. " + personal_draft.text
    personal_draft.save()
    [placed] = services.placed_comments(personal_draft)
    assert placed.span is not None
    assert personal_draft.text[placed.span[0] : placed.span[1]] == "Mooi werk!"

    personal_draft.text = "Helemaal herschreven."
    personal_draft.save()
    [placed] = services.placed_comments(personal_draft)
    assert placed.span is None  # shown as "no longer in the text", not on the wrong words


def test_a_passage_not_in_the_text_is_refused(ministry, personal_draft: Draft) -> None:
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    with pytest.raises(services.FeedbackError):
        services.add_comment(ministry["bram"], personal_draft, "niet in de tekst", "x")


def test_someone_not_asked_cannot_comment_or_give_a_verdict(ministry, personal_draft) -> None:
    with pytest.raises(services.FeedbackError):
        services.add_comment(ministry["bram"], personal_draft, "Mooi werk!", "x")
    with pytest.raises(services.FeedbackError):
        services.give_feedback(ministry["bram"], personal_draft, Verdict.FINE, "")


def test_verdict_answers_the_request_and_tells_the_author(ministry, personal_draft) -> None:
    anna, bram = ministry["anna"], ministry["bram"]
    services.ask_feedback(anna, personal_draft, [bram])
    request = services.give_feedback(bram, personal_draft, Verdict.CONSIDER, "Noem de bron.")
    assert request.answered_at is not None
    assert list(services.waiting_for(bram)) == []
    assert anna.notifications.filter(kind="feedback-given").exists()


def test_asking_never_blocks_saving_or_changing_the_draft(ministry, personal_draft) -> None:
    from civicpost.drafts import services as drafts

    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    services.give_feedback(ministry["bram"], personal_draft, Verdict.PLEASE_DONT, "Liever niet.")
    saved = drafts.save_draft(
        ministry["anna"], personal_draft.account, "trends", "Toch gepost.", draft=personal_draft
    )
    assert saved.text == "Toch gepost."


def test_process_record_for_an_organisational_draft(ministry, org_draft: Draft) -> None:
    anna, bram = ministry["anna"], ministry["bram"]
    services.ask_feedback(anna, org_draft, [bram])
    services.add_comment(bram, org_draft, "Mooi werk!", "Te informeel.")
    services.give_feedback(bram, org_draft, Verdict.CONSIDER, "Zakelijker graag.")
    record = services.process_record_for(org_draft)
    [feedback] = record["feedback"]
    assert feedback["verdict"] == "consider"
    assert feedback["comments"][0]["quote"] == "Mooi werk!"
    assert record["conflicts"] == []


def test_process_record_for_a_personal_draft_is_empty(ministry, personal_draft: Draft) -> None:
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    assert services.process_record_for(personal_draft) == {}


def test_draft_page_shows_the_comment_on_its_passage(ministry, login, personal_draft) -> None:
    services.ask_feedback(ministry["anna"], personal_draft, [ministry["bram"]])
    client = login("bram")
    response = client.post(
        f"/feedback/drafts/{personal_draft.pk}/comment/",
        {"quote": "Mooi werk!", "text": "Liever zakelijker."},
    )
    assert response.status_code == 302
    response = client.post(
        f"/feedback/drafts/{personal_draft.pk}/verdict/",
        {"verdict": "consider", "summary": "Bijna goed."},
    )
    assert response.status_code == 302
    client.logout()
    page = login("anna").get(f"/feedback/drafts/{personal_draft.pk}/").content.decode()
    assert '<mark class="cp-mark cp-mark--suggestion">Mooi werk!' in page
    assert "Liever zakelijker." in page and "Bijna goed." in page


def test_ask_form_on_the_draft_page(ministry, login, personal_draft: Draft) -> None:
    bram: Person = ministry["bram"]
    response = login("anna").post(
        f"/feedback/drafts/{personal_draft.pk}/ask/", {"colleagues": [bram.pk], "message": "Hoi"}
    )
    assert response.status_code == 302
    assert FeedbackRequest.objects.get(draft=personal_draft).reviewer == bram


def test_feedback_on_a_published_post(ministry, login, org_draft: Draft) -> None:
    from civicpost.publishing.models import Publication

    Publication.objects.create(
        draft=org_draft,
        account=org_draft.account,
        requested_by=ministry["anna"],
        text=org_draft.text,
        state="published",
        remote_id="109876",
        permalink="https://social.example/@waterveiligheid/109876",
    )
    services.ask_feedback(ministry["anna"], org_draft, [ministry["bram"]])
    page = login("bram").get(f"/feedback/drafts/{org_draft.pk}/").content.decode()
    assert 'data-testid="published"' in page
    assert "https://social.example/@waterveiligheid/109876" in page
