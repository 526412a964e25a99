"""``duty-console recover [--data-dir DIR] [--store PATH] [--force]``: repair the desk's store.

Checks the whole store file (``PRAGMA quick_check``). A damaged file is moved aside
(kept, never deleted), the unsent actions readable from it are copied into a fresh
store and the cache is rebuilt from the platform at the next start
(``localdb.recovery.recover``). A sound file is left alone unless ``--force``.
Close the console on this desk first.

Exit 0: sound, or recovered (the report says what was kept); 1: recovery failed;
2: no store there, a hall database URL (the hall's is repaired on its server), or a
problem recovery does not mend (locked by a running console, the contact key missing,
no access).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.paths import ENV_DATA_DIR, Paths

PROG = "duty-console recover"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description="Check the desk's local store and repair a damaged one.")
    p.add_argument("--data-dir", metavar="DIR",
                   help=f"data directory (else ${ENV_DATA_DIR}, else the user data directory)")
    p.add_argument("--store", metavar="PATH", help="the store file (default: the one in the data directory)")
    p.add_argument("--force", action="store_true", help="move the store aside and rebuild even if it is sound")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    a = parse(argv)
    from localdb import recovery
    from localdb.store import Store, StoreError, is_store_url

    if a.store and is_store_url(a.store):
        print(f"{PROG}: {a.store.split('@')[-1]} is the hall database: it is repaired on its server "
              "(docs/HALL.md), not from a desk", file=sys.stderr)
        return 2
    path = Path(a.store).expanduser() if a.store else Paths.resolve(a.data_dir).store
    if not path.is_file():
        print(f"{PROG}: no store at {path}", file=sys.stderr)
        return 2
    problem = None
    try:
        Store.open(path, check=True).close()
    except StoreError as exc:
        if exc.kind != "corrupt":   # locked by a running console, its key missing, no access:
            print(f"{PROG}: {exc}", file=sys.stderr)   # moving the file aside would not help
            return 2
        problem = str(exc)
    if problem is None and not a.force:
        print(f"store {path} is sound: nothing moved (use --force to rebuild it anyway)")
        return 0
    print(f"store {path}: {problem or 'rebuilding on request (--force)'}")
    try:
        report = recovery.recover(path)
    except Exception as exc:  # noqa: BLE001 - say it, never a traceback
        print(f"{PROG}: recovery failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(report.message)
    return 0
