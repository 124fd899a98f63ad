"""Channel adapters. Each module registers itself; import them here so the registry is complete."""

from importlib import import_module

for _name in ("bluesky", "mastodon", "rss", "website", "press_release", "x", "linkedin"):
    try:
        import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as error:  # an adapter still being written
        if error.name != f"{__name__}.{_name}":
            raise
