"""Harvesting an organisational account on the Mastodon stand-in (mastodon-mock): own posts
(also those made on the platform directly), edits, deletions, replies; never twice; never a
personal account."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from civicpost.archive.models import Capture
from civicpost.people.models import Account
from civicpost.publishing import harvest, outbox, services, tasks
from civicpost.publishing.models import ChannelConnection
from tests.publishing import workflow_fixtures
from tests.publishing.workflow_fixtures import CITIZEN_TOKEN, ORGANISATION_TOKEN, make_draft

# Fixtures from workflow_fixtures, used by name below.
mastodon_server = workflow_fixtures.mastodon_server
org_mastodon = workflow_fixtures.org_mastodon
personal_mastodon = workflow_fixtures.personal_mastodon

pytestmark = pytest.mark.django_db


def _kinds() -> list[tuple[str, str]]:
    return sorted(Capture.objects.values_list("kind", "provenance"))


def test_harvest_captures_posts_edits_deletions_and_replies_once(
    ministry, org_mastodon, mastodon_server
):
    anna = ministry["anna"]
    draft = make_draft(anna, org_mastodon, "De zandsuppletie bij Texel begint maandag.")
    [publication] = services.request_publication(draft, anna, [org_mastodon])
    assert outbox.run(publication.pk) == "published"
    publication.refresh_from_db()
    organisation = mastodon_server.client(token=ORGANISATION_TOKEN)
    citizen = mastodon_server.client(token=CITIZEN_TOKEN)
    # Posted on the platform directly, outside civicpost; later edited there.
    direct = organisation.status_post("Vandaag geen veerdienst door storm.")
    organisation.status_update(direct["id"], "Vandaag geen veerdienst door storm. Morgen weer.")
    # A reply from a citizen to the published post.
    reply = citizen.status_post("Hoe lang duurt dat?", in_reply_to_id=publication.remote_id)

    first = harvest.harvest_account(org_mastodon)
    assert not first.error
    assert (first.posts, first.received) == (1, 1)
    assert _kinds() == [("post", "harvest"), ("post", "publish"), ("reply", "harvest")]
    reply_capture = Capture.objects.get(kind="reply")
    assert reply_capture.remote_id == str(reply["id"])
    assert reply_capture.content.in_reply_to == publication.remote_id

    # Nothing changed: a second harvest adds nothing.
    again = harvest.harvest_account(org_mastodon)
    assert (again.posts, again.versions, again.deletions, again.received) == (0, 0, 0, 0)
    assert Capture.objects.count() == 3

    # Edited and deleted on the platform: a version and a tombstone; the post stays archived.
    organisation.status_update(publication.remote_id, "De zandsuppletie bij Texel begint dinsdag.")
    organisation.status_delete(direct["id"])
    later = harvest.harvest_account(org_mastodon)
    assert (later.versions, later.deletions) == (1, 1)
    version = Capture.objects.get(kind="version")
    assert version.remote_id == publication.remote_id
    assert "dinsdag" in version.content.text
    deletion = Capture.objects.get(kind="deletion")
    assert deletion.remote_id == str(direct["id"])
    assert Capture.objects.filter(remote_id=str(direct["id"]), kind="post").exists()
    assert (
        harvest.harvest_account(org_mastodon)
        .summary()
        .endswith("0 new posts, 0 edits, 0 deletions, 0 replies and mentions")
    )


def test_personal_accounts_are_never_harvested(ministry, personal_mastodon, org_mastodon):
    # Even connected and working, a personal account is not among the harvestable ones.
    connection = ChannelConnection.objects.get(account=personal_mastodon)
    assert connection.status == ChannelConnection.Status.OK
    assert personal_mastodon not in harvest.harvestable()
    assert personal_mastodon not in harvest.accounts_due()
    assert org_mastodon in harvest.accounts_due()
    with pytest.raises(harvest.HarvestRefused):
        harvest.harvest_account(personal_mastodon)
    with pytest.raises(harvest.HarvestRefused):
        tasks.harvest_account.call(personal_mastodon.pk)
    with pytest.raises(Exception, match="personal accounts are never harvested"):
        call_command("harvest", account=personal_mastodon.handle)
    assert not Capture.objects.exists()


def test_the_harvest_command_reports_each_account(ministry, org_mastodon, capsys):
    call_command("harvest")
    out = capsys.readouterr().out
    assert org_mastodon.handle in out
    assert "@anna.devries@mastodon.example" not in out


def test_civicposts_own_website_pages_are_not_taken_for_deletions(ministry, settings, tmp_path):
    from civicpost.publishing.demo import connect_demo_accounts

    settings.CIVICPOST_SITE_DIR = tmp_path / "site"
    connect_demo_accounts("http://testserver")
    website = Account.objects.get(channel="website")
    draft = make_draft(ministry["anna"], website, "Open dag bij het gemaal.")
    [publication] = services.request_publication(draft, ministry["anna"], [website])
    assert outbox.run(publication.pk) == "published"
    assert website not in harvest.accounts_due()
    assert harvest.harvest_account(website).deletions == 0
    assert not Capture.objects.filter(kind="deletion").exists()
