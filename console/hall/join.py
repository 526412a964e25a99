"""``duty-console hall-join``: move a desk from its own SQLite file to the hall store.

    duty-console hall-join --from ~/.local/share/duty-console/store.sqlite3 \\
        --store postgresql://duty_app@hall-server/hall

Copies the file's unsent outbox into the hall database (``localdb.hall.import_outbox``)
and prints what it did as one JSON line. Then start the desk with ``--store`` (or the
``store`` setting) pointing at the hall: the hall's sync holder sends what the desk had
not sent yet. Run it with the desk closed; running it twice copies nothing twice.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="duty-console hall-join",
                                description="Move a desk's unsent actions from its SQLite file to the hall store.")
    p.add_argument("--from", dest="source", required=True, metavar="PATH", help="the desk's SQLite store file")
    p.add_argument("--store", required=True, metavar="URL", help="postgresql://... of the hall database")
    args = p.parse_args(argv)
    from localdb import Store, StoreError, hall
    from localdb.pg import is_pg_url

    src = Path(args.source).expanduser()
    if not src.is_file():
        print(f"duty-console hall-join: no desk store at {src}", file=sys.stderr)
        return 2
    if not is_pg_url(args.store):
        print("duty-console hall-join: --store must be the hall database (postgresql://...)", file=sys.stderr)
        return 2
    try:
        desk = Store.open(src)
        try:
            target = Store.open(args.store)
            try:
                report = hall.import_outbox(desk, target)
            finally:
                target.close()
        finally:
            desk.close()
    except StoreError as exc:
        print(f"duty-console hall-join: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report))
    return 0
