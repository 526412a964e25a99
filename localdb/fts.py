"""Full-text search over ticket description, address and number (FTS5).

Chinese has no spaces between words, so the default tokenizers see a whole sentence
as one token. The trigram tokenizer (SQLite >= 3.34) indexes every run of three
characters, which finds any substring of three or more characters. Shorter terms
(most two-character Chinese words, e.g. 井盖) cannot use a trigram index and are
matched with ``instr`` on the ticket row instead, which is still correct and is
usually combined with other, indexed filters.

On PostgreSQL (hall mode) the same search is a trigram index (pg_trgm, GIN) over the
lower-cased searchable text; ``LIKE '%term%'`` uses it for terms of three or more
characters and is still correct (a scan) for shorter ones. ``search_conditions`` is
the one place that writes the search SQL of either store.
"""

from __future__ import annotations

import re
import sqlite3

FTS_TABLE = "tickets_fts"
MIN_TRIGRAM = 3


def has_trigram() -> bool:
    major, minor, *_ = (int(x) for x in sqlite3.sqlite_version.split("."))
    return (major, minor) >= (3, 34)


#: The searchable text of a ticket (PostgreSQL trigram index expression).
PG_DOC = "lower(description || ' ' || address || ' ' || coalesce(number, ''))"
PG_INDEX = "ix_tickets_search_trgm"


def _dialect(bind) -> str:
    return getattr(getattr(bind, "dialect", None), "name", None) or "sqlite"


def create_fts_sql(bind=None) -> list[str]:
    if _dialect(bind) == "postgresql":
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON tickets USING gin (({PG_DOC}) gin_trgm_ops)",
            # SQLite's instr(), used by the map's address search, as a plain SQL function
            "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT strpos($1, $2)'",
        ]
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


def drop_fts_sql(bind=None) -> list[str]:
    if _dialect(bind) == "postgresql":
        return [f"DROP INDEX IF EXISTS {PG_INDEX}", "DROP FUNCTION IF EXISTS instr(text, text)"]
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


def _like_pattern(term: str) -> str:
    return "%" + term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_conditions(text_: str, params: dict, dialect: str = "sqlite") -> list[str]:
    """SQL conditions on ``tickets`` matching every whitespace-separated term of
    ``text_`` in the description, address or number (parameters added to ``params``)."""
    terms = split_terms(text_)
    if not terms:
        return []
    if dialect == "postgresql":
        out = []
        for i, t in enumerate(terms):
            params[f"tx{i}"] = _like_pattern(t)
            out.append(f"{PG_DOC} LIKE :tx{i}")
        return out
    conds = []
    match = match_expression(terms)
    if match:
        params["fts"] = match
        conds.append(f"rid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts)")
    for i, t in enumerate(short_terms(terms)):
        params[f"tx{i}"] = t.lower()
        conds.append(
            f"(instr(lower(description), :tx{i}) > 0 OR instr(lower(address), :tx{i}) > 0 "
            f"OR instr(lower(coalesce(number, '')), :tx{i}) > 0)"
        )
    return conds


def search_clause(text_: str, dialect: str = "sqlite"):
    """The same search as a SQLAlchemy clause on ``tickets`` (None when ``text_`` has
    no terms): what the queue's query engine (``localdb.queue_query``) runs."""
    from sqlalchemy import and_, bindparam
    from sqlalchemy import text as sql_text

    params: dict = {}
    conds = search_conditions(text_, params, dialect)
    if not conds:
        return None
    return and_(*[sql_text(c).bindparams(*[bindparam(k, v) for k, v in params.items()
                                           if re.search(rf":{k}\b", c)])
                  for c in conds])
