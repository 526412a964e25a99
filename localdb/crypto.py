"""Citizens' contact fields sealed at rest: the reporter's name and phone never lie in a
store file in clear.

Every ``reporter_name`` / ``reporter_phone`` value the store writes — the ``tickets``
columns, and wherever a ticket or a command travels as JSON inside the store (the
platform's copy in ``ticket_base``, outbox parameters, event parameters, quarantined
feed items) — is sealed with AES-256-GCM as ``enc1:<key id>:<base64 nonce+ciphertext>``
(the key id is also the associated data, so a value cannot be moved to another key's
store unnoticed). Reading opens it again; a value that cannot be opened is returned
sealed, unchanged, so a later write keeps it as it was and nothing is lost.

The key is not in the database: it lives in a key file readable by the console's user
only (0600; a looser file is refused), by default ``contact.key`` beside the store, or
where the ``key_file`` setting says (hall IT: a path on a separate medium, the same file
on every desk of a hall store). The store remembers the id of the key that sealed it
(``sync_state.contact_key_id``), so a missing or wrong key stops the opening with a
clear message instead of writing a store half in one key and half in another.

Rotation: ``rotate_key_file`` writes a new current key and keeps the old ones in the
file as ``old`` lines; the next ``Store.open`` re-seals every value with the new key.

Which key is in use: ``Store.session()`` / ``Store.write()`` make the store's cipher the
current one for their block (``active``); outside any block the cipher of the store
opened last serves (one store per console process).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1:"
CONTACT_KEYS = frozenset({"reporter_name", "reporter_phone"})
KEY_ID_STATE = "contact_key_id"
KEY_FILE_NAME = "contact.key"
_HEADER = "duty-console contact key v1"
ENV_KEY_FILE = "DUTY_CONSOLE_KEY_FILE"


class KeyProblem(Exception):
    """The contact key cannot be used; ``code``: missing_key, wrong_key, bad_key_file,
    loose_key_file."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"duty-console contact key id\0" + key).hexdigest()[:16]


class Cipher:
    """The current key (seals) and older ones (only open)."""

    def __init__(self, key: bytes, old: tuple[bytes, ...] = ()):
        if len(key) != 32 or any(len(k) != 32 for k in old):
            raise KeyProblem("bad_key_file", "a contact key must be 32 bytes")
        self.kid = key_id(key)
        self._keys = {key_id(k): AESGCM(k) for k in (*old, key)}

    def __repr__(self) -> str:  # never the key
        return f"Cipher(kid={self.kid})"

    def knows(self, kid: str) -> bool:
        return kid in self._keys

    def seal(self, value: Any) -> Any:
        """``value`` sealed with the current key; empty, non-text and sealed values as they are."""
        if not isinstance(value, str) or not value or value.startswith(PREFIX):
            return value
        nonce = os.urandom(12)
        ct = self._keys[self.kid].encrypt(nonce, value.encode(), self.kid.encode())
        return f"{PREFIX}{self.kid}:{_b64(nonce + ct)}"

    def open(self, value: Any) -> Any:
        """The clear text of a sealed value; anything else (and a value no key here
        opens) unchanged."""
        if not isinstance(value, str) or not value.startswith(PREFIX):
            return value
        try:
            kid, body = value[len(PREFIX):].split(":", 1)
            aead = self._keys.get(kid)
            if aead is None:
                return value
            raw = base64.b64decode(body, validate=True)
            return aead.decrypt(raw[:12], raw[12:], kid.encode()).decode()
        except (ValueError, InvalidTag, UnicodeDecodeError):
            return value

    def reseal(self, value: Any) -> Any:
        """Sealed with the current key (opened first when an older key sealed it)."""
        if isinstance(value, str) and value.startswith(PREFIX) and not value.startswith(f"{PREFIX}{self.kid}:"):
            opened = self.open(value)
            return value if opened is value else self.seal(opened)
        return self.seal(value)

    def seal_obj(self, obj: Any, _how: str = "seal") -> Any:
        """A copy of ``obj`` (JSON-like) with every contact field, at any depth, sealed."""
        how = getattr(self, _how)
        if isinstance(obj, dict):
            return {k: (how(v) if k in CONTACT_KEYS else self.seal_obj(v, _how)) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [self.seal_obj(v, _how) for v in obj]
        return obj

    def open_obj(self, obj: Any) -> Any:
        return self.seal_obj(obj, "open")

    def reseal_obj(self, obj: Any) -> Any:
        return self.seal_obj(obj, "reseal")


_active: ContextVar[Cipher | None] = ContextVar("contact_cipher", default=None)
_default: Cipher | None = None


def set_default(cipher: Cipher | None) -> None:
    global _default
    _default = cipher


def current() -> Cipher | None:
    return _active.get() or _default


@contextmanager
def active(cipher: Cipher | None) -> Iterator[None]:
    """Make ``cipher`` the current one for the block (a store's session)."""
    token = _active.set(cipher)
    try:
        yield
    finally:
        _active.reset(token)


def seal(value: Any) -> Any:
    c = current()
    return c.seal(value) if c is not None else value


def unseal(value: Any) -> Any:
    c = current()
    return c.open(value) if c is not None else value


def dumps(obj: Any, **kw: Any) -> str:
    """``json.dumps`` with the contact fields sealed (ensure_ascii off, str default)."""
    c = current()
    kw.setdefault("ensure_ascii", False)
    kw.setdefault("default", str)
    return json.dumps(c.seal_obj(obj) if c is not None else obj, **kw)


def loads(text: str | bytes) -> Any:
    """``json.loads`` with the contact fields opened."""
    obj = json.loads(text)
    c = current()
    return c.open_obj(obj) if c is not None else obj


# -- key files ----------------------------------------------------------------------------

_configured: Path | None = None


def configure(key_file: str | os.PathLike | None) -> None:
    """The key file every store of this process uses (the ``key_file`` setting); None or
    empty: the default (``default_key_file``)."""
    global _configured
    _configured = Path(key_file).expanduser() if key_file else None


def default_key_file(store_path: Path | None) -> Path:
    """Where the key is: the configured file (``configure``), else ``$DUTY_CONSOLE_KEY_FILE``,
    else ``contact.key`` beside a desk's store, else in the data directory (hall store)."""
    if _configured is not None:
        return _configured
    env = os.environ.get(ENV_KEY_FILE)
    if env:
        return Path(env).expanduser()
    if store_path is not None:
        return Path(store_path).parent / KEY_FILE_NAME
    from console.paths import Paths

    return Paths.resolve(None).data_dir / KEY_FILE_NAME


def _write_key_file(path: Path, keys: list[bytes]) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lines = [_HEADER, f"key {_b64(keys[0])}", *(f"old {_b64(k)}" for k in keys[1:])]
    tmp = path.with_name(path.name + ".new")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def create_key_file(path: Path) -> Cipher:
    """A new key in a new file (0600); refuses to overwrite one."""
    path = Path(path)
    if path.exists():
        raise KeyProblem("bad_key_file", f"key file {path} exists already")
    key = os.urandom(32)
    _write_key_file(path, [key])
    return Cipher(key)


def read_key_file(path: Path) -> Cipher:
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise KeyProblem("missing_key", f"the contact key file {path} is missing") from None
    except OSError as exc:
        raise KeyProblem("bad_key_file", f"cannot read the contact key file {path}: {exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise KeyProblem("bad_key_file", f"the contact key file {path} is not a file")
    if st.st_mode & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise KeyProblem("loose_key_file",
                         f"the contact key file {path} must belong to this user and be readable by "
                         f"this user only (chmod 600 {path})")
    try:
        lines = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyProblem("bad_key_file", f"cannot read the contact key file {path}: {exc}") from exc
    text = " ".join(lines)
    if not text.startswith(_HEADER):
        raise KeyProblem("bad_key_file", f"{path} is not a contact key file")
    words = text[len(_HEADER):].split()
    key, old = None, []
    try:
        for tag, val in zip(words[::2], words[1::2], strict=True):
            raw = base64.b64decode(val, validate=True)
            if tag == "key" and key is None:
                key = raw
            elif tag == "old":
                old.append(raw)
            else:
                raise ValueError(tag)
    except ValueError:
        raise KeyProblem("bad_key_file", f"the contact key file {path} is damaged") from None
    if key is None:
        raise KeyProblem("bad_key_file", f"the contact key file {path} holds no key")
    return Cipher(key, tuple(old))


def rotate_key_file(path: Path) -> Cipher:
    """A new current key; the old ones stay to open what they sealed until re-sealed."""
    path = Path(path)
    read_key_file(path)  # refuses a damaged or loose file before touching it
    words = " ".join(path.read_text(encoding="ascii").split())[len(_HEADER):].split()
    keys = [base64.b64decode(v) for v in words[1::2]]
    new = os.urandom(32)
    _write_key_file(path, [new, *keys])
    return read_key_file(path)


# -- a store's key ------------------------------------------------------------------------

#: (table, key column, JSON column): where tickets and commands travel as JSON in a store
JSON_HOMES = (("ticket_base", "id", "data"), ("outbox", "seq", "params"),
              ("ticket_events", "event_id", "params"), ("quarantine", "id", "payload"))


def attach(store: Any, key_file: str | os.PathLike | None = None) -> Cipher:
    """The cipher of ``store`` (a Store or PgStore whose ``cipher`` is not set yet): its
    key file read (created for a store that never had one), checked against the key id
    the store remembers, and every contact value not yet sealed with the current key
    sealed now (a store from before encryption, or after a rotation). KeyProblem when
    the key is missing, wrong, damaged or readable by others; the store is not touched."""
    from localdb import syncstate

    path = Path(key_file).expanduser() if key_file else default_key_file(getattr(store, "path", None))
    with store.session() as s:
        kid = syncstate.get_value(s, KEY_ID_STATE)
    if kid is None and not path.exists():
        cipher = create_key_file(path)
    else:
        try:
            cipher = read_key_file(path)
        except KeyProblem as exc:
            if exc.code == "missing_key":
                raise KeyProblem("missing_key", f"this store's contact data is sealed with key {kid}, "
                                                f"but the key file {path} is missing; restore it "
                                                f"(hall IT keeps a copy)") from None
            raise
        if kid is not None and not cipher.knows(kid):
            raise KeyProblem("wrong_key", f"the key file {path} (key {cipher.kid}) is not the key this "
                                          f"store's contact data is sealed with (key {kid}); restore the "
                                          f"right key file")
    if kid != cipher.kid:
        seal_store(store, cipher)
    return cipher


def seal_store(store: Any, cipher: Cipher) -> int:
    """Seal (or re-seal with the current key) every contact value in ``store``; returns
    how many rows changed. One transaction: the key id is set with the values."""
    from localdb import journal, syncstate

    changed = 0
    with store.write() as s, active(cipher):
        con = journal.raw(s)
        rows = con.execute("SELECT id, reporter_name, reporter_phone FROM tickets "
                           "WHERE reporter_name <> '' OR reporter_phone <> ''").fetchall()
        upd = [(cipher.reseal(n), cipher.reseal(p), i) for i, n, p in rows]
        upd = [u for u, r in zip(upd, rows) if (u[0], u[1]) != (r[1], r[2])]
        if upd:
            con.executemany("UPDATE tickets SET reporter_name = ?, reporter_phone = ? WHERE id = ?", upd)
        changed += len(upd)
        for table, key, col in JSON_HOMES:
            rows = con.execute(f"SELECT {key}, {col} FROM {table} WHERE {col} LIKE ?",
                               ('%"reporter_%',)).fetchall()
            out = []
            for k, text in rows:
                try:
                    new = json.dumps(cipher.reseal_obj(json.loads(text)), ensure_ascii=False, default=str)
                except ValueError:
                    continue
                if new != text:
                    out.append((new, k))
            if out:
                con.executemany(f"UPDATE {table} SET {col} = ? WHERE {key} = ?", out)
            changed += len(out)
        syncstate.set_value(s, KEY_ID_STATE, cipher.kid)
    return changed
