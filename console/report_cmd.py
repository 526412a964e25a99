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
    e = sub.add_parser("evaluation", help="department evaluation (考核评价) of one month, with 跨前承办")
    e.add_argument("--month", required=True, metavar="YYYY-MM")
    e.add_argument("--weights", metavar="SPEC", help="e.g. on_time=40,closure=30,rework=20,return=10")
    e.add_argument("--json", metavar="FILE", help="write the table as JSON (else printed)")
    tr = sub.add_parser("trace", help="责任倒查: who held a ticket, when and how long")
    tr.add_argument("--ticket", required=True, metavar="ID|NUMBER")
    tr.add_argument("--json", metavar="FILE", help="write the trace as JSON (else printed)")
    for x in (e, tr):
        x.add_argument("--data-dir", metavar="DIR")
        x.add_argument("--store", metavar="PATH|URL")
        x.add_argument("--now", type=float, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _err(msg: str) -> int:
    print(f"duty-console report: {msg}", file=sys.stderr)
    return 2


def _open(a: argparse.Namespace):
    from localdb.store import Store, StoreError, is_store_url

    target: str | Path
    if a.store and is_store_url(a.store):
        target = a.store
    else:
        target = Path(a.store).expanduser() if a.store else Paths.resolve(a.data_dir).store
        if not Path(target).is_file():
            raise LookupError(f"no store at {target} / 找不到本地库")
    try:
        return Store.open(target)
    except StoreError as exc:
        raise LookupError(str(exc)) from exc


def _out(data: dict, path: str | None, lines: list[str]) -> int:
    import json

    if path:
        try:
            Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            return _err(f"cannot write {path}: {exc}")
    else:
        print("\n".join(lines))
    return 0


def _evaluation(a: argparse.Namespace) -> int:
    from console import briefing, evaluation as E

    try:
        briefing.parse_month(a.month)
        weights = E.parse_weights(a.weights)
        store = _open(a)
    except (briefing.BriefingError, E.EvaluationError, LookupError) as exc:
        return _err(str(exc))
    try:
        ev = E.evaluate(store, a.month, a.now if a.now is not None else time.time(), weights)
    finally:
        store.close()
    lines = [f"考核评价 {ev.period.label}（权重 {weights}）", "排名\t部门\t得分\t按期结案率\t结案率\t跨前承办"]
    for r in ev.rows:
        pct = (lambda v: "—" if v is None else f"{v * 100:.1f}%")
        lines.append(f"{r['rank'] or '—'}\t{r['name']}\t{'—' if r['score'] is None else r['score']}\t"
                     f"{pct(r['on_time_rate'])}\t{pct(r['closure_rate'])}\t{r['beyond_responsibility']}")
    return _out(ev.to_json(), a.json, lines)


def _trace(a: argparse.Namespace) -> int:
    from dataclasses import asdict

    from console import evaluation as E

    try:
        store = _open(a)
    except LookupError as exc:
        return _err(str(exc))
    try:
        tr = E.trace(store, a.ticket, a.now if a.now is not None else time.time())
    except E.EvaluationError as exc:
        return _err(str(exc))
    finally:
        store.close()
    data = asdict(tr)
    lines = [f"责任倒查 工单 {tr.ticket.get('number') or tr.ticket['id']}（{tr.events} 条过程记录）"]
    if tr.message:
        lines.append(tr.message)
    lines += [f"{p['name']}（{p['role']}）\t{'、'.join(p['actions'])}\t{p['held_s'] / 3600:.1f} 小时"
              for p in tr.people]
    lines += [f"部门 {d['name']}\t{d['held_s'] / 3600:.1f} 小时" for d in tr.departments]
    return _out(data, a.json, lines)


def main(argv: list[str]) -> int:
    a = parse(argv)
    if a.what == "evaluation":
        return _evaluation(a)
    if a.what == "trace":
        return _trace(a)
    from console import briefing
    from console.printing import PrintError

    try:
        briefing.parse_month(a.month)
    except briefing.BriefingError as exc:
        return _err(str(exc))
    if not a.pdf and not a.json:
        return _err("nothing to write: give --pdf FILE and/or --json FILE / 请指定 --pdf 或 --json 输出文件")
    try:
        store = _open(a)
    except LookupError as exc:
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
