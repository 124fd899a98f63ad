from pathlib import Path

from django.core.management.base import BaseCommand

from civicpost.drafts import openapi


class Command(BaseCommand):
    help = "Write the API's OpenAPI document (default: docs/openapi.json)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", nargs="?", default="docs/openapi.json")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["path"]))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(openapi.render(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
