"""Channel credentials, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from ``CIVICPOST_CREDENTIALS_KEY`` (a Fernet key: 32 url-safe base64 bytes, make
one with ``civicpost manage credentials_key``). Without it the key is derived from SECRET_KEY:
convenient for development, but then rotating SECRET_KEY makes the stored credentials
unreadable, so production sets its own key. Secrets are never logged, never rendered back and
never part of a repr.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils import timezone

from civicpost.people.models import Account
from civicpost.publishing.channels.base import (
    ChannelAdapter,
    ChannelError,
    NeedsCredentials,
    adapter_class,
)
from civicpost.publishing.models import ChannelConnection

logger = logging.getLogger(__name__)


class CredentialsUnreadable(Exception):
    """Stored credentials cannot be decrypted with the current key."""


def _fernet() -> Fernet:
    key = getattr(settings, "CIVICPOST_CREDENTIALS_KEY", "")
    if not key:
        digest = hashlib.sha256(b"civicpost-credentials:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def new_key() -> str:
    return Fernet.generate_key().decode()


def encrypt(secrets: Mapping[str, str]) -> str:
    if not secrets:
        return ""
    return _fernet().encrypt(json.dumps(dict(secrets), sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return dict(json.loads(_fernet().decrypt(token.encode())))
    except InvalidToken:
        raise CredentialsUnreadable(
            "stored credentials cannot be decrypted: was the credentials key changed?"
        ) from None


def connection_for(account: Account) -> ChannelConnection:
    connection, _ = ChannelConnection.objects.get_or_create(account=account)
    return connection


def store_credentials(connection: ChannelConnection, secrets: Mapping[str, str]) -> None:
    """Replace the secrets (empty values are dropped); the status waits for the next check."""
    kept = {name: value for name, value in secrets.items() if value}
    connection.credentials_encrypted = encrypt(kept)
    connection.status = ChannelConnection.Status.NEEDS_CREDENTIALS
    connection.status_message = ""
    connection.save(update_fields=["credentials_encrypted", "status", "status_message"])
    logger.info("credentials replaced for account %s", connection.account_id)


# Channels civicpost writes itself (files, feeds): nothing secret is needed.
CHANNELS_WITHOUT_SECRETS = frozenset({"rss", "website", "press-release"})


def adapter_for(account: Account) -> ChannelAdapter:
    connection = connection_for(account)
    if account.channel not in CHANNELS_WITHOUT_SECRETS and not connection.has_credentials:
        raise NeedsCredentials("needs credentials: an administrator must add them")
    try:
        secrets = decrypt(connection.credentials_encrypted)
    except CredentialsUnreadable as error:
        raise NeedsCredentials(str(error)) from None
    try:
        cls = adapter_class(account.channel)
    except KeyError as error:
        raise ChannelError(f"this installation has no adapter for {account.channel}") from error
    return cls(connection.settings, secrets)


def check_connection(account: Account) -> ChannelConnection:
    """Ask the platform whether the credentials work; record the outcome and its time."""
    connection = connection_for(account)
    try:
        handle = adapter_for(account).check_credentials()
    except NeedsCredentials as error:
        connection.status = ChannelConnection.Status.NEEDS_CREDENTIALS
        connection.status_message = error.platform_message[:500]
    except ChannelError as error:
        connection.status = ChannelConnection.Status.FAILED
        connection.status_message = error.platform_message[:500]
    else:
        connection.status = ChannelConnection.Status.OK
        connection.status_message = handle[:500]
    connection.checked_at = timezone.now()
    connection.save(update_fields=["status", "status_message", "checked_at"])
    return connection
