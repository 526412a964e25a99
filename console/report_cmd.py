"""``duty-console report monthly --month YYYY-MM [--pdf FILE] [--json FILE]``: the monthly
briefing (月度简报) from the store, as a PDF for the leading group and a JSON twin with the
same figures for other tools.

Exit 0 when written (a month without tickets still gives a briefing that says so), 2 on
a malformed month, a missing store or a file that cannot be written: always with a
message, never a traceback."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from console.paths import ENV_DATA_DIR, Paths


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="duty-console report", description="Printed reports of the hall.")
    sub = p.add_subparsers(dest="what", required=True)
    m = sub.add_parser("monthly", help="the monthly briefing (月度简报) of one month")
    m.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, e.g. 2026-11")
    m.add_argument("--pdf", metavar="FILE", help="write the briefing as a PDF")
    m.add_argument("--json", metavar="FILE", help="write the same figures as JSON")
    m.add_argument("--data-dir", metavar="DIR",
                   help=f"data directory (else ${ENV_DATA_DIR}, else the user data directory)")
    m.add_argument("--store", metavar="PATH|URL",
                   help="the store (default: console.db in the data directory; postgresql://… "
                        "for the hall database)")
    m.add_argument("--centre", default="城运中心", help="the centre's name in the title")
    m.add_argument("--now", type=float, help=argparse.SUPPRESS)  # platform time (tests)
    return p.parse_args(argv)


def _err(msg: str) -> int:
    print(f"duty-console report: {msg}", file=sys.stderr)
    return 2


def main(argv: list[str]) -> int:
    a = parse(argv)
    from console import briefing
    from console.printing import PrintError
    from localdb.store import Store, StoreError, is_store_url

    try:
        briefing.parse_month(a.month)
    except briefing.BriefingError as exc:
        return _err(str(exc))
    if not a.pdf and not a.json:
        return _err("nothing to write: give --pdf FILE and/or --json FILE / 请指定 --pdf 或 --json 输出文件")
    target: str | Path
    if a.store and is_store_url(a.store):
        target = a.store
    else:
        target = Path(a.store).expanduser() if a.store else Paths.resolve(a.data_dir).store
        if not Path(target).is_file():
            return _err(f"no store at {target} / 找不到本地库")
    try:
        store = Store.open(target)
    except StoreError as exc:
        return _err(str(exc))
    try:
        b = briefing.build(store, a.month, now=a.now if a.now is not None else time.time(), centre=a.centre)
    finally:
        store.close()
    try:
        briefing.write(b, pdf=a.pdf, json_path=a.json)
    except PrintError as exc:
        return _err(str(exc))
    t = b.month.total
    status = "no tickets in this month / 本月无工单数据" if b.month.empty else (
        f"received {t.cell.received}, closed {t.cell.closed}, due {t.cell.due}, on time {t.cell.on_time}")
    print(f"briefing {b.month.label}: {status} ({b.elapsed_s:.2f} s)")
    return 0
