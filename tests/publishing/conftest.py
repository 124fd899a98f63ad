"""Fixtures for the publishing tests; each server's fixtures live in their own module."""

from tests.publishing.pds_server import bluesky_pds

__all__ = ["bluesky_pds"]
