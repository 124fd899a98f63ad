"""Channel adapters. Importing this package registers the built-in ones (see base.register)."""

from civicpost.publishing.channels import (  # noqa: F401
    bluesky,
    linkedin,
    mastodon,
    press_release,
    rss,
    website,
    x,
)
