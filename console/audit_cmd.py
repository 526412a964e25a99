"""``duty-console audit verify [--data-dir DIR] [--store PATH|URL]``: check the audit chain.

Exit 0 and one line with the entry count and head hash when every link holds; exit 1
naming the first broken link (an edited entry, a removed one) when not; exit 2 when
there is no store to check or it cannot be opened."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.paths import ENV_DATA_DIR, Paths


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="duty-console audit",
                                description="Tamper evidence of the desk's audit log.")
    sub = p.add_subparsers(dest="what", required=True)
    v = sub.add_parser("verify", help="check every link of the audit log's hash chain")
    v.add_argument("--data-dir", metavar="DIR",
                   help=f"data directory (else ${ENV_DATA_DIR}, else the user data directory)")
    v.add_argument("--store", metavar="PATH|URL",
                   help="the store to check (default: console.db in the data directory; "
                        "postgresql://… for the hall database)")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    a = parse(argv)
    from console import settings as S
    from localdb import crypto
    from localdb.store import Store, StoreError, is_store_url

    paths = Paths.resolve(a.data_dir)
    try:
        crypto.configure(S.Settings.load(paths).get(S.KEY_FILE) or None)
    except ValueError as exc:
        print(f"duty-console audit: {exc}", file=sys.stderr)
        return 2

    target: str | Path
    if a.store and is_store_url(a.store):
        target = a.store
    else:
        target = Path(a.store).expanduser() if a.store else paths.store
        if not Path(target).is_file():
            print(f"duty-console audit: no store at {target}", file=sys.stderr)
            return 2
    try:
        store = Store.open(target)
    except StoreError as exc:
        print(f"duty-console audit: {exc}", file=sys.stderr)
        return 2
    from console.operations import audit

    try:
        broken, head = audit.verify(store)
    finally:
        store.close()
    if broken is None:
        print(f"audit chain intact: {head.count} entries, head {head.hash}")
        return 0
    print(f"audit chain BROKEN at entry {broken.entry_id}: {broken.describe()} "
          f"({head.count} entries before it are intact, last good hash {head.hash})", file=sys.stderr)
    return 1
