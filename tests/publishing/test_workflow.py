"""The publishing workflow against the Mastodon stand-in (mastodon-mock): exactly once,
retries with backoff, unknown outcomes, permanent errors, overrides, captures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from civicpost.archive.models import Capture
from civicpost.people.models import Account
from civicpost.publishing import outbox, services
from civicpost.publishing.channels.base import OutgoingPost
from civicpost.publishing.credentials import adapter_for
from civicpost.publishing.models import ChannelConnection, Publication
from tests.publishing import workflow_fixtures
from tests.publishing.workflow_fixtures import fault, make_draft

# Fixtures from workflow_fixtures, used by name below.
immediate_tasks = workflow_fixtures.immediate_tasks
mastodon_server = workflow_fixtures.mastodon_server
org_mastodon = workflow_fixtures.org_mastodon
personal_mastodon = workflow_fixtures.personal_mastodon

pytestmark = pytest.mark.django_db
State = Publication.State
VOTE_CALL = "Stem op de VVD bij de verkiezingen van volgende week!"


def _statuses(server) -> list[dict]:  # type: ignore[no-untyped-def]
    client = server.client("ministerie")
    return list(client.account_statuses(client.me()["id"], limit=40))


def _publish(draft, person, account, **kwargs) -> Publication:  # type: ignore[no-untyped-def]
    [publication] = services.request_publication(draft, person, [account], **kwargs)
    return publication


def test_publishing_posts_once_and_archives_it_with_its_process_record(
    ministry, org_mastodon, mastodon_server, immediate_tasks, django_capture_on_commit_callbacks
):
    anna = ministry["anna"]
    draft = make_draft(
        anna, org_mastodon, "De nieuwe dijk bij Petten is klaar. Lees meer op de site."
    )
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publish(draft, anna, org_mastodon)
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert publication.remote_id and publication.permalink.startswith("http")
    [status] = _statuses(mastodon_server)
    assert str(status["id"]) == publication.remote_id
    capture = Capture.objects.get(remote_id=publication.remote_id)
    assert (capture.kind, capture.provenance) == ("post", "publish")
    process = json.loads(capture.content.content)["process"]
    assert process["drafted_by"] == anna.display_name
    assert process["check"]["findings"] == draft.check_record["findings"]
    assert "feedback" in process and process["overrides"] == []
    assert publication.capture_seq == capture.seq


def test_the_same_publication_run_twice_makes_one_post(ministry, org_mastodon, mastodon_server):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Twee keer starten, één bericht.")
    publication = _publish(draft, anna, org_mastodon)
    assert outbox.run(publication.pk) == "published"
    assert outbox.run(publication.pk) == "nothing to do"
    # Asking again for the same draft and account gives the same publication, not a new post.
    again = _publish(draft, anna, org_mastodon)
    assert again.pk == publication.pk
    assert outbox.run(again.pk) == "nothing to do"
    assert len(_statuses(mastodon_server)) == 1
    assert Capture.objects.filter(kind="post").count() == 1


def test_after_a_worker_died_while_sending_the_next_attempt_finds_the_post(
    ministry, org_mastodon, mastodon_server, settings
):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Dit bericht kwam aan, maar de worker stierf.")
    publication = _publish(draft, anna, org_mastodon)
    # The send reached the platform; then the worker was killed before it could record it.
    adapter_for(org_mastodon).publish(
        OutgoingPost(text=publication.text, idempotency_key=publication.idempotency_key)
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CIVICPOST_PUBLISH_SENDING_TIMEOUT + 1)
    Publication.objects.filter(pk=publication.pk).update(
        state=State.SENDING, sending_since=long_ago, attempts=1
    )
    assert outbox.recover() == 1  # queued again for a worker; this test runs it right here
    assert outbox.run(publication.pk) == "published"
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert len(_statuses(mastodon_server)) == 1
    assert Capture.objects.filter(remote_id=publication.remote_id, kind="post").count() == 1


def test_a_send_with_unknown_outcome_looks_before_it_posts_again(
    ministry, org_mastodon, mastodon_server
):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Een serverfout na het versturen.")
    publication = _publish(draft, anna, org_mastodon)
    with fault(
        mastodon_server.base_url, path="/api/v1/statuses", methods=["POST"], status=502, count=1
    ):
        assert outbox.run(publication.pk) == "retry"
    publication.refresh_from_db()
    assert publication.state == State.QUEUED and publication.outcome_unknown
    assert "server error" in publication.last_error
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
    assert outbox.run(publication.pk) == "published"
    assert len(_statuses(mastodon_server)) == 1


def test_rate_limits_retry_with_growing_backoff(ministry, org_mastodon, mastodon_server, settings):
    settings.CIVICPOST_PUBLISH_BACKOFF_SECONDS = 10
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Even wachten op de server.")
    publication = _publish(draft, anna, org_mastodon)
    waits = []
    with fault(
        mastodon_server.base_url, path="/api/v1/statuses", methods=["POST"], status=503, count=2
    ):
        for _attempt in range(2):
            before = timezone.now()
            assert outbox.run(publication.pk) == "retry"
            publication.refresh_from_db()
            waits.append(publication.next_attempt_at - before)
            # Not due yet: a second worker (or a duplicate task) finds nothing to do.
            assert outbox.run(publication.pk) == "nothing to do"
            Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
    assert waits[1] > waits[0] >= dt.timedelta(seconds=10)
    assert outbox.run(publication.pk) == "published"
    publication.refresh_from_db()
    assert publication.attempts == 3
    assert len(_statuses(mastodon_server)) == 1


def test_a_rate_limit_waits_at_least_as_long_as_the_platform_asks(
    ministry, org_mastodon, mastodon_server, settings
):
    settings.CIVICPOST_PUBLISH_BACKOFF_SECONDS = 1
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Te veel verzoeken.")
    publication = _publish(draft, anna, org_mastodon)
    with fault(
        mastodon_server.base_url,
        path="/api/v1/statuses",
        methods=["POST"],
        type="ratelimit",
        count=1,
    ):
        assert outbox.run(publication.pk) == "retry"
    publication.refresh_from_db()
    assert publication.state == State.QUEUED
    assert publication.next_attempt_at > timezone.now()
    assert not _statuses(mastodon_server)


def test_out_of_attempts_the_publication_fails_with_the_platform_message(
    ministry, org_mastodon, mastodon_server, settings
):
    settings.CIVICPOST_PUBLISH_MAX_ATTEMPTS = 2
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Blijvend een serverfout.")
    publication = _publish(draft, anna, org_mastodon)
    with fault(mastodon_server.base_url, path="/api/v1/statuses", methods=["POST"], status=500):
        assert outbox.run(publication.pk) == "retry"
        Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
        assert outbox.run(publication.pk) == "failed"
    publication.refresh_from_db()
    assert publication.state == State.FAILED and publication.last_error


def test_a_permanent_error_shows_the_platform_message_on_the_draft(
    ministry, org_mastodon, mastodon_server, login
):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Dit weigert de server.")
    publication = _publish(draft, anna, org_mastodon)
    refusal = {"error": "Validation failed: Text is not allowed here"}
    with fault(
        mastodon_server.base_url,
        path="/api/v1/statuses",
        methods=["POST"],
        status=422,
        body=refusal,
        count=1,
    ):
        assert outbox.run(publication.pk) == "failed"
    page = login("anna").get(reverse("drafts:edit", args=[draft.pk])).content.decode()
    assert "Text is not allowed here" in page
    assert not _statuses(mastodon_server)


def test_an_account_without_credentials_fails_with_needs_credentials(ministry):
    carla = ministry["carla"]
    linkedin = Account.objects.get(channel="linkedin", kind="organisational")
    draft = make_draft(carla, linkedin, "Een bericht voor LinkedIn.")
    publication = _publish(draft, carla, linkedin)
    assert outbox.run(publication.pk) == "failed"
    publication.refresh_from_db()
    assert "credentials" in publication.last_error
    assert linkedin.connection.status == ChannelConnection.Status.NEEDS_CREDENTIALS


def test_error_findings_hold_back_an_organisational_post_until_overridden(
    ministry, org_mastodon, mastodon_server
):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, VOTE_CALL)
    with pytest.raises(services.PublishError) as held:
        _publish(draft, anna, org_mastodon)
    [shown] = held.value.held_back
    assert any(f["rule"] == "GCCO.VoteCall" for f in shown.blocking)
    assert not Publication.objects.exists()
    reasons = {
        services.OverrideKey(org_mastodon.pk, index): "Citaat uit de campagne van het ministerie"
        for index in range(len(shown.blocking))
    }
    publication = _publish(draft, anna, org_mastodon, overrides=reasons)
    assert outbox.run(publication.pk) == "published"
    capture = Capture.objects.get(remote_id=Publication.objects.get().remote_id)
    process = json.loads(capture.content.content)["process"]
    assert {o["rule"] for o in process["overrides"]} >= {"GCCO.VoteCall"}
    assert process["overrides"][0]["reason"] == "Citaat uit de campagne van het ministerie"


def test_a_personal_post_is_never_held_back_and_not_archived(
    ministry, personal_mastodon, mastodon_server
):
    anna = ministry["anna"]
    draft = make_draft(anna, personal_mastodon, VOTE_CALL)
    publication = _publish(draft, anna, personal_mastodon)  # no override asked
    assert outbox.run(publication.pk) == "published"
    publication.refresh_from_db()
    assert publication.overrides == []
    assert publication.remote_id
    assert not Capture.objects.exists()


def test_a_scheduled_post_waits_for_its_time(ministry, org_mastodon, mastodon_server):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "Morgen om negen uur.")
    when = timezone.now() + dt.timedelta(hours=1)
    publication = _publish(draft, anna, org_mastodon, scheduled_for=when)
    assert publication.state == State.SCHEDULED
    assert outbox.run(publication.pk) == "nothing to do"
    assert not _statuses(mastodon_server)
    Publication.objects.filter(pk=publication.pk).update(scheduled_for=timezone.now())
    assert outbox.run(publication.pk) == "published"


def test_nobody_publishes_someone_elses_draft_or_with_an_account_they_may_not_use(
    ministry, org_mastodon
):
    anna, bram = ministry["anna"], ministry["bram"]
    draft = make_draft(anna, org_mastodon, "Van Anna.")
    with pytest.raises(services.PublishError):
        services.request_publication(draft, bram, [org_mastodon])
    press = Account.objects.get(channel="press-release")  # bram's, not anna's
    with pytest.raises(services.PublishError):
        services.request_publication(draft, anna, [press])
