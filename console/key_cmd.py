"""``duty-console key rotate|show [--data-dir DIR] [--store PATH|URL]``: the key of the
citizens' contact data (localdb.crypto).

``show`` prints where the key file is and the id of its current key (never the key);
``rotate`` writes a new current key into the file (the old ones stay as ``old`` lines)
and opens the store, which re-seals every contact value with the new key. Run it with
the console closed; on a hall store, copy the rotated file to every desk afterwards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.paths import ENV_DATA_DIR, Paths


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="duty-console key", description="The key of citizens' contact data.")
    sub = p.add_subparsers(dest="what", required=True)
    for name, text in (("show", "where the key file is and its current key id"),
                       ("rotate", "a new key; the store is re-sealed with it")):
        v = sub.add_parser(name, help=text)
        v.add_argument("--data-dir", metavar="DIR",
                       help=f"data directory (else ${ENV_DATA_DIR}, else the user data directory)")
        v.add_argument("--store", metavar="PATH|URL", help="the store (default: console.db in the data directory)")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    a = parse(argv)
    from console import settings as S
    from localdb import crypto
    from localdb.store import Store, StoreError, is_store_url

    paths = Paths.resolve(a.data_dir)
    try:
        configured = S.Settings.load(paths).get(S.KEY_FILE) or None
    except ValueError as exc:
        print(f"duty-console key: {exc}", file=sys.stderr)
        return 2
    crypto.configure(configured)
    hall = bool(a.store) and is_store_url(a.store)
    target = a.store if hall else (Path(a.store).expanduser() if a.store else paths.store)
    key_file = crypto.default_key_file(None if hall else Path(target))
    try:
        cipher = crypto.read_key_file(key_file)
    except crypto.KeyProblem as exc:
        print(f"duty-console key: {exc.message}", file=sys.stderr)
        return 2
    if a.what == "show":
        print(f"key file {key_file}, current key {cipher.kid}")
        return 0
    if not hall and not Path(target).is_file():
        print(f"duty-console key: no store at {target}", file=sys.stderr)
        return 2
    new = crypto.rotate_key_file(key_file)
    try:
        Store.open(target).close()  # re-seals with the new key
    except StoreError as exc:
        print(f"duty-console key: the key file has the new key {new.kid}, but the store could not be "
              f"re-sealed: {exc}", file=sys.stderr)
        return 1
    print(f"new key {new.kid} in {key_file}; the store is re-sealed with it (old key {cipher.kid} kept "
          f"in the file to open older copies)")
    return 0
