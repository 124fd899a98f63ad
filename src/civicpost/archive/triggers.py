"""Database triggers that make the archive append-only, and its full-text index.

The application never edits a capture, but "never" must not depend on the application: the
database itself refuses UPDATE and DELETE on capture rows, and lets content go only when a
destruction decision for it exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

APPEND_ONLY = "archive captures are append-only"
NEEDS_DECISION = "archive content can only be removed by a recorded destruction decision"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER archive_capture_no_update BEFORE UPDATE ON archive_capture
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER archive_capture_no_delete BEFORE DELETE ON archive_capture
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER archive_content_no_update BEFORE UPDATE ON archive_capturecontent
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER archive_content_delete_by_decision BEFORE DELETE ON archive_capturecontent
        WHEN NOT EXISTS (SELECT 1 FROM archive_destruction WHERE target_id = OLD.capture_id)
        BEGIN SELECT RAISE(ABORT, '{NEEDS_DECISION}'); END""",
    f"""CREATE TRIGGER archive_media_no_update BEFORE UPDATE ON archive_capturemedia
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER archive_media_delete_by_decision BEFORE DELETE ON archive_capturemedia
        WHEN NOT EXISTS (SELECT 1 FROM archive_destruction WHERE target_id = OLD.capture_id)
        BEGIN SELECT RAISE(ABORT, '{NEEDS_DECISION}'); END""",
    # Full text: an FTS5 index over the text, kept in step with the content table.
    """CREATE VIRTUAL TABLE archive_search USING fts5(
        text, content='archive_capturecontent', content_rowid='capture_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER archive_search_insert AFTER INSERT ON archive_capturecontent
        BEGIN INSERT INTO archive_search(rowid, text) VALUES (NEW.capture_id, NEW.text); END""",
    """CREATE TRIGGER archive_search_delete AFTER DELETE ON archive_capturecontent
        BEGIN INSERT INTO archive_search(archive_search, rowid, text)
              VALUES ('delete', OLD.capture_id, OLD.text); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS archive_capture_no_update",
    "DROP TRIGGER IF EXISTS archive_capture_no_delete",
    "DROP TRIGGER IF EXISTS archive_content_no_update",
    "DROP TRIGGER IF EXISTS archive_content_delete_by_decision",
    "DROP TRIGGER IF EXISTS archive_media_no_update",
    "DROP TRIGGER IF EXISTS archive_media_delete_by_decision",
    "DROP TRIGGER IF EXISTS archive_search_insert",
    "DROP TRIGGER IF EXISTS archive_search_delete",
    "DROP TABLE IF EXISTS archive_search",
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION archive_refuse() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION archive_delete_by_decision() RETURNS trigger AS $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM archive_destruction WHERE target_id = OLD.capture_id) THEN
            RAISE EXCEPTION '{NEEDS_DECISION}';
          END IF;
          RETURN OLD;
        END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER archive_capture_no_change BEFORE UPDATE OR DELETE ON archive_capture
        FOR EACH ROW EXECUTE FUNCTION archive_refuse()""",
    """CREATE TRIGGER archive_content_no_update BEFORE UPDATE ON archive_capturecontent
        FOR EACH ROW EXECUTE FUNCTION archive_refuse()""",
    """CREATE TRIGGER archive_content_delete_by_decision BEFORE DELETE ON archive_capturecontent
        FOR EACH ROW EXECUTE FUNCTION archive_delete_by_decision()""",
    """CREATE TRIGGER archive_media_no_update BEFORE UPDATE ON archive_capturemedia
        FOR EACH ROW EXECUTE FUNCTION archive_refuse()""",
    """CREATE TRIGGER archive_media_delete_by_decision BEFORE DELETE ON archive_capturemedia
        FOR EACH ROW EXECUTE FUNCTION archive_delete_by_decision()""",
    # Full text in Dutch and English at once, computed once at insert and indexed.
    """ALTER TABLE archive_capturecontent ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('dutch', text) || to_tsvector('english', text)) STORED""",
    """CREATE INDEX archive_content_search ON archive_capturecontent USING gin (search_vector)""",
]
POSTGRES_REMOVE = [
    "DROP INDEX IF EXISTS archive_content_search",
    "ALTER TABLE archive_capturecontent DROP COLUMN IF EXISTS search_vector",
    "DROP TRIGGER IF EXISTS archive_media_delete_by_decision ON archive_capturemedia",
    "DROP TRIGGER IF EXISTS archive_media_no_update ON archive_capturemedia",
    "DROP TRIGGER IF EXISTS archive_content_delete_by_decision ON archive_capturecontent",
    "DROP TRIGGER IF EXISTS archive_content_no_update ON archive_capturecontent",
    "DROP TRIGGER IF EXISTS archive_capture_no_change ON archive_capture",
    "DROP FUNCTION IF EXISTS archive_delete_by_decision()",
    "DROP FUNCTION IF EXISTS archive_refuse()",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    raise NotImplementedError(f"the archive supports SQLite and PostgreSQL, not {vendor}")


def install(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement)


def remove(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement)


@contextmanager
def suspended_for_reset() -> Iterator[None]:
    """Drop the guards, empty the archive tables, restore the guards.

    For test teardown only: a test database is wiped between tests, which the guards rightly
    refuse. Nothing in civicpost's own code path calls this.
    """
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # Deferred foreign-key checks still pending would forbid dropping the triggers.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in _statements(vendor, install=False):
            cursor.execute(statement)
        try:
            yield
        finally:
            for statement in _statements(vendor, install=True):
                cursor.execute(statement)
