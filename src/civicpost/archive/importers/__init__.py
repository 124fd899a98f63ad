"""Importers of platform exports: Mastodon account archives, Bluesky repository CAR files."""
