"""Things that would break a fresh install: missing migrations, stale translation catalogues."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import civicpost

PACKAGE = Path(civicpost.__file__).parent
LOCALES = ("nl", "en")


def test_no_model_change_lacks_a_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}")


def _catalogue(locale: str, root: Path = PACKAGE) -> polib.POFile:
    return polib.pofile(str(root / "locale" / locale / "LC_MESSAGES" / "django.po"))


def _ids(po: polib.POFile) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in po if not entry.obsolete}


def test_translation_catalogues_hold_every_string_in_the_code(tmp_path):
    copy = tmp_path / "civicpost"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            *[f"-l{loc}" for loc in LOCALES],
            "--no-location",
            "--no-obsolete",
            "--ignore",
            "policy/*",
            "--settings",
            "civicpost.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for locale in LOCALES:
        fresh, committed = _ids(_catalogue(locale, copy)), _ids(_catalogue(locale))
        missing, stale = fresh - committed, committed - fresh
        assert not missing, f"{locale}: run makemessages; missing {sorted(missing)[:5]}"
        assert not stale, f"{locale}: run makemessages; no longer used {sorted(stale)[:5]}"


def test_dutch_catalogue_is_complete_and_not_fuzzy():
    po = _catalogue("nl")
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogues_match_their_sources(locale):
    source = _catalogue(locale)
    compiled = polib.mofile(str(PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.mo"))
    expected = {e.msgid: e.msgstr for e in source.translated_entries() if not e.msgid_plural}
    actual = {e.msgid: e.msgstr for e in compiled if not e.msgid_plural and e.msgid}
    assert actual == expected, f"{locale}: run compilemessages"
