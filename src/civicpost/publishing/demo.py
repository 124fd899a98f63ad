"""Connections for the demo ministry: website, feed and press releases work out of the box
(files under the data folder, served by civicpost); the social accounts wait for credentials."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from civicpost.people.models import Account
from civicpost.publishing.credentials import check_connection, connection_for

# Placeholders an administrator replaces with a real server (see the README).
SOCIAL_SERVERS = {"mastodon": "https://social.example", "bluesky": "https://bsky.example"}


# The press office the demo's releases name in their contact block and dateline.
DEMO_PRESS_CONTACT = {
    "place": "Den Haag",
    "contact_name": "Persvoorlichting Dijken en Duinen",
    "contact_phone": "070 456 78 90",
    "contact_email": "pers@dijkenduinen.example",
}


def site_path() -> str:
    """Where civicpost serves the website folder: /site/, or /publishing/site/ as a fallback."""
    try:
        return reverse("site:page", args=[""])
    except NoReverseMatch:
        return reverse("publishing:site", args=[""])


def site_settings(account: Account, base_url: str) -> dict[str, str]:
    folder = settings.CIVICPOST_SITE_DIR
    site_url = base_url.rstrip("/") + site_path()
    return {
        "output_dir": str(folder),
        "site_url": site_url,
        "base_url": site_url,
        "title": account.display_name or account.handle,
        "organisation": account.organisation.name,
        "handle": account.handle,
    }


def connect_demo_accounts(base_url: str = "http://127.0.0.1:8000") -> None:
    for account in Account.objects.filter(kind=Account.Kind.ORGANISATIONAL):
        connection = connection_for(account)
        if connection.settings:
            continue  # configured before (or by an administrator): keep it
        if account.channel in ("website", "press-release"):
            connection.settings = site_settings(account, base_url)
            if account.channel == "press-release":
                connection.settings["output_dir"] = str(settings.CIVICPOST_SITE_DIR / "pers")
                connection.settings["site_url"] = base_url.rstrip("/") + site_path() + "pers/"
                connection.settings["base_url"] = connection.settings["site_url"]
                connection.settings.update(DEMO_PRESS_CONTACT)
        elif account.channel == "rss":
            connection.settings = {
                "site_url": base_url.rstrip("/") + site_path(),
                "feed_url": base_url.rstrip("/")
                + reverse("publishing:account-feed", args=[account.pk]),
                "handle": account.handle,
            }
        elif account.channel in SOCIAL_SERVERS:
            connection.settings = {"server_url": SOCIAL_SERVERS[account.channel]}
            if account.channel == "bluesky":
                connection.settings["handle"] = account.handle.lstrip("@")
        connection.save(update_fields=["settings"])
        if account.channel in ("website", "press-release", "rss"):
            check_connection(account)
