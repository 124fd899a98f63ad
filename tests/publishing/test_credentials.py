"""Channel credentials: encrypted at rest, never shown back, never logged."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.urls import reverse

from civicpost.people.models import Account
from civicpost.publishing import credentials
from civicpost.publishing.models import ChannelConnection
from tests.publishing import workflow_fixtures
from tests.publishing.workflow_fixtures import connect_mastodon, reset_server

# Fixtures from workflow_fixtures, used by name below.
mastodon_server = workflow_fixtures.mastodon_server

pytestmark = pytest.mark.django_db
SECRET = "geheim-token-0123456789"  # noqa: S105


def _raw_column(account: Account) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials_encrypted FROM publishing_channelconnection WHERE account_id = %s",
            [account.pk],
        )
        return str(cursor.fetchone()[0])


def test_credentials_are_encrypted_at_rest_and_readable_only_with_the_key(ministry, settings):
    account = Account.objects.get(handle="@dijkenduinen@social.example")
    connection_ = credentials.connection_for(account)
    credentials.store_credentials(connection_, {"access_token": SECRET})
    raw = _raw_column(account)
    assert raw and SECRET not in raw
    assert credentials.adapter_for(account).credentials == {"access_token": SECRET}
    settings.CIVICPOST_CREDENTIALS_KEY = credentials.new_key()  # another key: unreadable
    with pytest.raises(credentials.NeedsCredentials, match="key"):
        credentials.adapter_for(account)


def test_credentials_never_appear_in_pages_admin_repr_or_logs(
    ministry, mastodon_server, login, client, caplog
):
    caplog.set_level(logging.DEBUG)
    reset_server(mastodon_server.base_url)
    account = Account.objects.get(handle="@waterveiligheid@social.example")
    from tests.publishing.mastodon_server import ORGANISATION_TOKEN

    connect_mastodon(account, mastodon_server.base_url, ORGANISATION_TOKEN)
    connection_ = ChannelConnection.objects.get(account=account)
    assert ORGANISATION_TOKEN not in repr(connection_) + str(connection_)
    assert ORGANISATION_TOKEN not in repr(credentials.adapter_for(account))

    page = login("anna").get(reverse("publishing:connections")).content.decode()
    assert "@waterveiligheid@social.example" in page
    client.logout()
    login("ivo")
    change = reverse("admin:publishing_channelconnection_change", args=[connection_.pk])
    admin_page = client.get(change).content.decode()
    assert ORGANISATION_TOKEN not in admin_page
    assert connection_.credentials_encrypted not in admin_page
    assert ORGANISATION_TOKEN not in caplog.text


def test_an_administrator_adds_credentials_through_the_admin_and_the_check_runs(
    ministry, mastodon_server, login, client, caplog
):
    caplog.set_level(logging.DEBUG)
    reset_server(mastodon_server.base_url)
    from tests.publishing.mastodon_server import ORGANISATION_TOKEN

    account = Account.objects.get(handle="@dijkenduinen@social.example")
    connection_ = credentials.connection_for(account)
    login("ivo")
    change = reverse("admin:publishing_channelconnection_change", args=[connection_.pk])
    response = client.post(
        change,
        {
            "account": account.pk,
            "settings": f'{{"server_url": "{mastodon_server.base_url}"}}',
            "new_credentials": f"access_token={ORGANISATION_TOKEN}",
        },
    )
    assert response.status_code == 302
    connection_.refresh_from_db()
    assert connection_.status == ChannelConnection.Status.OK
    assert ORGANISATION_TOKEN not in _raw_column(account)
    assert ORGANISATION_TOKEN not in caplog.text
    assert ORGANISATION_TOKEN not in client.get(change).content.decode()


def test_linkedin_needs_credentials_until_an_administrator_adds_them(ministry, login):
    page = login("carla").get(reverse("publishing:connections")).content.decode()
    linkedin = Account.objects.get(channel="linkedin", kind="organisational")
    row = page.split(linkedin.handle, 1)[1].split("</tr>", 1)[0]
    assert "needs-credentials" in row
    assert ChannelConnection.objects.get(account=linkedin).status == "needs-credentials"
