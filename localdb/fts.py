"""Full-text search over ticket description, address and number (FTS5).

Chinese has no spaces between words, so the default tokenizers see a whole sentence
as one token. The trigram tokenizer (SQLite >= 3.34) indexes every run of three
characters, which finds any substring of three or more characters. Shorter terms
(most two-character Chinese words, e.g. 井盖) cannot use a trigram index and are
matched with ``instr`` on the ticket row instead, which is still correct and is
usually combined with other, indexed filters.
"""

from __future__ import annotations

import sqlite3

FTS_TABLE = "tickets_fts"
MIN_TRIGRAM = 3


def has_trigram() -> bool:
    major, minor, *_ = (int(x) for x in sqlite3.sqlite_version.split("."))
    return (major, minor) >= (3, 34)


def create_fts_sql(bind=None) -> list[str]:
    tokenizer = "trigram case_sensitive 0" if has_trigram() else "unicode61"
    cols = "new.description, new.address, coalesce(new.number, '')"
    old_cols = "old.description, old.address, coalesce(old.number, '')"
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        f"description, address, number, content='tickets', content_rowid='rid', "
        f"tokenize='{tokenizer}')",
        f"CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, description, address, number) "
        f"VALUES (new.rid, {cols}); END",
        f"CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, description, address, number) "
        f"VALUES ('delete', old.rid, {old_cols}); END",
        # Only re-index when the searchable text really changed: a feed upsert
        # rewrites every column and would otherwise churn the index.
        f"CREATE TRIGGER tickets_fts_au AFTER UPDATE OF description, address, number "
        f"ON tickets WHEN old.description IS NOT new.description "
        f"OR old.address IS NOT new.address OR old.number IS NOT new.number BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, description, address, number) "
        f"VALUES ('delete', old.rid, {old_cols}); "
        f"INSERT INTO {FTS_TABLE}(rowid, description, address, number) "
        f"VALUES (new.rid, {cols}); END",
    ]


def drop_fts_sql() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS tickets_fts_ai",
        "DROP TRIGGER IF EXISTS tickets_fts_ad",
        "DROP TRIGGER IF EXISTS tickets_fts_au",
        f"DROP TABLE IF EXISTS {FTS_TABLE}",
    ]


def split_terms(text: str) -> list[str]:
    return [t for t in text.split() if t]


def match_expression(terms: list[str]) -> str | None:
    """FTS5 MATCH string for the terms long enough for the trigram index."""
    long_terms = [t for t in terms if len(t) >= MIN_TRIGRAM] if has_trigram() else []
    if not long_terms:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)


def short_terms(terms: list[str]) -> list[str]:
    if not has_trigram():
        return list(terms)
    return [t for t in terms if len(t) < MIN_TRIGRAM]
