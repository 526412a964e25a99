"""The platform's persistent state: SQLite (WAL) through SQLAlchemy Core.

One writer at a time (a lock around a transaction); readers use their own pooled
connections. Every change to an entity is appended to ``changes`` with its wire JSON
already rendered (``body``), so the feed only splices strings.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import event

SCHEMA = "1"
metadata = sa.MetaData()
meta_t = sa.Table("meta", metadata, sa.Column("key", sa.Text, primary_key=True),
                  sa.Column("value", sa.Text, nullable=False))
changes_t = sa.Table(
    "changes", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.Text, nullable=False), sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("op", sa.Text, nullable=False), sa.Column("at", sa.Float, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("ix_changes_entity", "kind", "entity_id", "seq"), sa.Index("ix_changes_at", "at"))
tickets_t = sa.Table(
    "tickets", metadata,
    sa.Column("id", sa.Text, primary_key=True), sa.Column("number", sa.Text, unique=True),
    sa.Column("version", sa.Integer, nullable=False), sa.Column("state", sa.Text, nullable=False),
    sa.Column("is_open", sa.Integer, nullable=False), sa.Column("channel", sa.Text, nullable=False),
    sa.Column("service_code", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False), sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("deadline", sa.Float), sa.Column("urge_count", sa.Integer, nullable=False),
    sa.Column("ext_pending", sa.Integer, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # latest change: its body holds the ticket JSON
    sa.Index("ix_tickets_created", "created_at"), sa.Index("ix_tickets_state", "state", "updated_at"))
commands_t = sa.Table(
    "commands", metadata, sa.Column("command_id", sa.Text, primary_key=True),
    sa.Column("ticket_id", sa.Text, nullable=False), sa.Column("result", sa.Text, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("digest", sa.Text))  # sha256 of the body (None: kept before digests were)
entities_t = sa.Table(
    "entities", metadata, sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True), sa.Column("data", sa.Text, nullable=False))
numbers_t = sa.Table("numbers", metadata, sa.Column("day", sa.Text, primary_key=True),
                     sa.Column("last", sa.Integer, nullable=False))
tokens_t = sa.Table("open311_tokens", metadata, sa.Column("token", sa.Text, primary_key=True),
                    sa.Column("ticket_id", sa.Text, nullable=False))


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def change_body(seq: int, kind: str, entity_id: str, op: str, data_json: str | None) -> str:
    head = f'{{"seq":{seq},"kind":"{kind}","op":"{op}","id":{dumps(entity_id)}'
    return head + ("}" if data_json is None else f',"data":{data_json}}}')


def ticket_row(t: dict, seq: int) -> tuple:
    return (t["id"], t.get("number"), t["version"], t["state"],
            0 if t["state"] in ("closed", "archived", "returned") else 1, t["channel"],
            t["category_code"], t["created_at"], t["updated_at"], t.get("deadline"),
            t.get("urge_count", 0), 0 if t.get("extension_request") is None else 1, seq)


def body_data(body: str) -> dict:
    """The ``data`` object of a change body (always its last key)."""
    return json.loads(body[body.index(',"data":') + 8:-1])


#: SELECT ... FROM this gives a ticket's JSON change body as ``body``
TICKET_BODY = "tickets JOIN changes ON changes.seq = tickets.seq"

_TICKET_UPSERT = ("INSERT INTO tickets (id, number, version, state, is_open, channel, service_code,"
                  " created_at, updated_at, deadline, urge_count, ext_pending, seq)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                  " ON CONFLICT(id) DO UPDATE SET number=excluded.number, version=excluded.version,"
                  " state=excluded.state, is_open=excluded.is_open, updated_at=excluded.updated_at,"
                  " deadline=excluded.deadline, urge_count=excluded.urge_count,"
                  " ext_pending=excluded.ext_pending, seq=excluded.seq")


class Store:
    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / "platform.sqlite3"
        self.engine = sa.create_engine(f"sqlite:///{self.path}", pool_size=8, max_overflow=16,
                                       connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(self.engine, "connect", self._pragmas)
        metadata.create_all(self.engine)
        self._lock = threading.RLock()
        with self.engine.begin() as c:
            m = dict(c.execute(sa.select(meta_t.c.key, meta_t.c.value)).all())
            if "epoch_id" not in m:
                m["epoch_id"] = uuid.uuid4().hex[:12]
                c.execute(meta_t.insert(), [{"key": "epoch_id", "value": m["epoch_id"]},
                                            {"key": "schema", "value": SCHEMA}])
            elif m.get("schema") != SCHEMA:
                raise RuntimeError(f"{self.path} holds simulator data of another version"
                                   f" ({m.get('schema')!r}, need {SCHEMA!r}): use a new --data-dir")
            cols = {r[1] for r in c.exec_driver_sql("PRAGMA table_info(commands)")}
            if "digest" not in cols:  # a data directory from before digests were kept
                c.exec_driver_sql("ALTER TABLE commands ADD COLUMN digest TEXT")
            self.epoch_id = m["epoch_id"]
            self.compacted_seq = int(m.get("compacted_seq", 0))
            self.head_seq = c.exec_driver_sql("SELECT COALESCE(MAX(seq), 0) FROM changes").scalar()
        self.listeners: list = []  # callables(head_seq) notified after each commit

    @staticmethod
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-65536")  # 64 MiB: index updates of big loads stay in memory
        cur.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- transactions --------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        with self._lock:
            before = self.head_seq
            try:
                with self.engine.begin() as c:
                    yield c
            except BaseException:
                self.head_seq = before
                raise

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as c:
            yield c

    # --- meta ------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.read() as c:
            v = c.exec_driver_sql("SELECT value FROM meta WHERE key=?", (key,)).scalar()
        return default if v is None else v

    @staticmethod
    def set_meta(c: sa.Connection, key: str, value: str) -> None:
        c.exec_driver_sql("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key)"
                          " DO UPDATE SET value=excluded.value", (key, value))

    # --- changes ---------------------------------------------------------------------
    def append(self, c: sa.Connection, items: Iterable[tuple[str, str, str, Any]], at: float,
               raw: bool = False) -> int:
        """Append (kind, id, op, data) changes in order; data is a dict (or JSON text when raw).

        Tickets are mirrored into ``tickets`` and other entities into ``entities``.
        Must run inside ``write()``. Returns the last seq.
        """
        rows, trows, erows, edel = [], [], [], []
        seq = self.head_seq
        for kind, eid, op, data in items:
            seq += 1
            dj = None if data is None else (data if raw else dumps(data))
            rows.append((seq, kind, eid, op, at, change_body(seq, kind, eid, op, dj)))
            if kind == "ticket" and dj is not None:
                trows.append(ticket_row(json.loads(dj) if raw else data, seq))
            elif kind not in ("ticket", "ticket_event"):
                (erows.append((kind, eid, dj)) if dj is not None else edel.append((kind, eid)))
        if rows:
            c.exec_driver_sql("INSERT INTO changes (seq, kind, entity_id, op, at, body)"
                              " VALUES (?,?,?,?,?,?)", rows)
        if trows:
            c.exec_driver_sql(_TICKET_UPSERT, trows)
        if erows:
            c.exec_driver_sql("INSERT OR REPLACE INTO entities (kind, id, data) VALUES (?,?,?)", erows)
        if edel:
            c.exec_driver_sql("DELETE FROM entities WHERE kind=? AND id=?", edel)
        self.head_seq = seq
        return seq

    def bulk_tickets(self, c: sa.Connection, tickets_json: list[tuple[dict, str]], at: float) -> int:
        """Fast path for generated history: (ticket dict, its JSON) pairs. Inside ``write()``
        (generated data: the whole load is redone if the process dies before commit)."""
        seq = self.head_seq
        rows, trows = [], []
        for t, dj in tickets_json:
            seq += 1
            rows.append((seq, "ticket", t["id"], "upsert", at, change_body(seq, "ticket", t["id"], "upsert", dj)))
            trows.append(ticket_row(t, seq))
        c.exec_driver_sql("INSERT INTO changes (seq, kind, entity_id, op, at, body) VALUES (?,?,?,?,?,?)", rows)
        c.exec_driver_sql(_TICKET_UPSERT, trows)
        self.head_seq = seq
        return seq

    def read_changes(self, after_seq: int, limit: int) -> list[tuple[int, bytes]]:
        """Rows (seq, UTF-8 body) after ``after_seq``: bytes, so pages are spliced without
        decoding and re-encoding megabytes of text."""
        with self.engine.connect() as c:
            return c.exec_driver_sql("SELECT seq, CAST(body AS BLOB) FROM changes WHERE seq > ?"
                                     " ORDER BY seq LIMIT ?", (after_seq, limit)).fetchall()

    def compact(self, cut_seq: int) -> int:
        """Drop changes at or below ``cut_seq`` superseded by a later change of the same
        entity (and deletes). Cursors older than the cut answer 410 afterwards."""
        cut_seq = min(cut_seq, self.head_seq)
        if cut_seq <= self.compacted_seq:
            return 0
        with self.write() as c:
            n = c.exec_driver_sql(
                "DELETE FROM changes WHERE seq <= ? AND (op = 'delete' OR EXISTS (SELECT 1 FROM"
                " changes c2 WHERE c2.kind = changes.kind AND c2.entity_id = changes.entity_id"
                " AND c2.seq > changes.seq))", (cut_seq,)).rowcount
            self.set_meta(c, "compacted_seq", str(cut_seq))
        self.compacted_seq = cut_seq
        return n

    def seq_before(self, at: float) -> int:
        with self.read() as c:
            return c.exec_driver_sql("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE at < ?", (at,)).scalar()

    # --- tickets, commands, entities ------------------------------------------------
    @staticmethod
    def get_ticket(c: sa.Connection, ticket_id: str) -> dict | None:
        v = c.exec_driver_sql(f"SELECT body FROM {TICKET_BODY} WHERE tickets.id=?", (ticket_id,)).scalar()
        return None if v is None else body_data(v)

    @staticmethod
    def get_ticket_by_number(c: sa.Connection, number: str) -> dict | None:
        v = c.exec_driver_sql(f"SELECT body FROM {TICKET_BODY} WHERE number=?", (number,)).scalar()
        return None if v is None else body_data(v)

    @staticmethod
    def command_result(c: sa.Connection, command_id: str) -> dict | None:
        v = c.exec_driver_sql("SELECT result FROM commands WHERE command_id=?", (command_id,)).scalar()
        return None if v is None else json.loads(v)

    @staticmethod
    def save_command(c: sa.Connection, command_id: str, ticket_id: str, result: dict, at: float,
                     digest: str | None = None) -> None:
        c.exec_driver_sql("INSERT INTO commands (command_id, ticket_id, result, at, digest)"
                          " VALUES (?,?,?,?,?)", (command_id, ticket_id, dumps(result), at, digest))

    @staticmethod
    def command_digest(c: sa.Connection, command_id: str) -> str | None:
        return c.exec_driver_sql("SELECT digest FROM commands WHERE command_id=?", (command_id,)).scalar()

    def entities(self, kind: str) -> list[dict]:
        with self.read() as c:
            return self.entities_in(c, kind)

    @staticmethod
    def entity_in(c: sa.Connection, kind: str, entity_id: str) -> dict | None:
        v = c.exec_driver_sql("SELECT data FROM entities WHERE kind=? AND id=?", (kind, entity_id)).scalar()
        return None if v is None else json.loads(v)

    @staticmethod
    def entities_in(c: sa.Connection, kind: str) -> list[dict]:
        rows = c.exec_driver_sql("SELECT data FROM entities WHERE kind=? ORDER BY id", (kind,)).all()
        return [json.loads(r[0]) for r in rows]

    @staticmethod
    def get_meta_in(c: sa.Connection, key: str) -> str | None:
        return c.exec_driver_sql("SELECT value FROM meta WHERE key=?", (key,)).scalar()

    @staticmethod
    def next_number(c: sa.Connection, day: str) -> str:
        c.exec_driver_sql("INSERT INTO numbers(day, last) VALUES (?, 1) ON CONFLICT(day)"
                          " DO UPDATE SET last = last + 1", (day,))
        n = c.exec_driver_sql("SELECT last FROM numbers WHERE day=?", (day,)).scalar()
        return f"HP{day}{n:05d}"

    def ticket_count(self) -> int:
        with self.read() as c:
            return c.exec_driver_sql("SELECT COUNT(*) FROM tickets").scalar()


class Clock:
    """Platform time: wall time, sped up by ``speed`` and pushed on by ``advance``."""

    def __init__(self, start: float | None = None, speed: float = 1.0):
        self.speed = speed
        self._wall0 = time.time()
        self._plat0 = self._wall0 if start is None else max(start, self._wall0)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._plat0 + (time.time() - self._wall0) * self.speed

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._plat0 += seconds
