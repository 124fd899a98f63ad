"""The optional approval step: off by default, any/all, never one's own post, expiry, and
never for a personal account (GCCO-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicpost.people.models import Account
from civicpost.publishing import approvals, services
from civicpost.publishing.models import Approval, ApprovalPolicy, ApprovalStep, Publication
from tests.publishing.workflow_fixtures import make_draft

pytestmark = pytest.mark.django_db
State = Publication.State
ORG = "@waterveiligheid@social.example"


def _policy(account, *steps, hours=72):  # type: ignore[no-untyped-def]
    policy = ApprovalPolicy.objects.create(account=account, enabled=True, expires_after_hours=hours)
    for position, (rule, approvers) in enumerate(steps, 1):
        step = ApprovalStep.objects.create(policy=policy, position=position, rule=rule)
        step.approvers.set(approvers)
    return policy


def _request(ministry, text="Een bericht dat goedkeuring nodig heeft."):  # type: ignore[no-untyped-def]
    account = Account.objects.get(handle=ORG)
    draft = make_draft(ministry["anna"], account, text)
    [publication] = services.request_publication(draft, ministry["anna"], [account])
    return publication


def test_without_a_policy_nothing_waits(ministry):
    assert _request(ministry).state == State.QUEUED


def test_any_of_the_approvers_is_enough(ministry):
    account = Account.objects.get(handle=ORG)
    _policy(account, ("any", [ministry["carla"], ministry["daan"]]))
    publication = _request(ministry)
    assert publication.state == State.AWAITING_APPROVAL
    assert approvals.can_approve(ministry["daan"], publication)
    services.decide(publication, ministry["daan"], True)
    publication.refresh_from_db()
    assert publication.state == State.QUEUED


def test_all_approvers_and_steps_in_order(ministry):
    account = Account.objects.get(handle=ORG)
    _policy(
        account,
        ("all", [ministry["carla"], ministry["daan"]]),
        ("any", [ministry["bram"]]),
    )
    publication = _request(ministry)
    assert not approvals.can_approve(ministry["bram"], publication)  # step 2 waits for step 1
    services.decide(publication, ministry["carla"], True)
    publication.refresh_from_db()
    assert publication.state == State.AWAITING_APPROVAL
    services.decide(publication, ministry["daan"], True)
    assert approvals.can_approve(ministry["bram"], publication)
    services.decide(publication, ministry["bram"], True)
    publication.refresh_from_db()
    assert publication.state == State.QUEUED


def test_nobody_approves_their_own_post(ministry):
    account = Account.objects.get(handle=ORG)
    _policy(account, ("any", [ministry["anna"], ministry["carla"]]))
    publication = _request(ministry)
    assert not approvals.can_approve(ministry["anna"], publication)
    with pytest.raises(approvals.ApprovalError):
        services.decide(publication, ministry["anna"], True)
    assert [p.pk for p in approvals.current_step(publication).waiting_for] == [ministry["carla"].pk]


def test_an_approval_expires(ministry):
    account = Account.objects.get(handle=ORG)
    _policy(account, ("all", [ministry["carla"], ministry["daan"]]), hours=24)
    publication = _request(ministry)
    services.decide(publication, ministry["carla"], True)
    Approval.objects.filter(approver=ministry["carla"]).update(
        decided_at=timezone.now() - dt.timedelta(hours=25)
    )
    services.decide(publication, ministry["daan"], True)
    publication.refresh_from_db()
    assert publication.state == State.AWAITING_APPROVAL  # carla's approval no longer counts
    assert approvals.can_approve(ministry["carla"], publication)


def test_a_rejection_stops_the_post_and_a_retry_waits_for_approval_again(ministry):
    account = Account.objects.get(handle=ORG)
    _policy(account, ("any", [ministry["carla"]]))
    publication = _request(ministry)
    services.decide(publication, ministry["carla"], False, "Niet nu")
    publication.refresh_from_db()
    assert publication.state == State.FAILED and publication.last_error == "Niet nu"
    services.retry(publication, ministry["anna"])
    publication.refresh_from_db()
    assert publication.state == State.AWAITING_APPROVAL


def test_a_personal_account_never_has_an_approval_step(ministry):
    personal = Account.objects.get(handle="@anna.devries@mastodon.example")
    policy = ApprovalPolicy(account=personal, enabled=True)
    with pytest.raises(ValidationError):
        policy.full_clean()
    # Even if one were forced into the database, it is ignored.
    policy.save()
    ApprovalStep.objects.create(policy=policy, position=1).approvers.set([ministry["carla"]])
    draft = make_draft(ministry["anna"], personal, "Mijn eigen bericht.")
    [publication] = services.request_publication(draft, ministry["anna"], [personal])
    assert publication.state == State.QUEUED
