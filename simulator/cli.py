"""``duty-platform-sim``: run the district-platform simulator.

Prints one JSON line ``{"url": ..., "pid": ...}`` on stdout once it answers (the
console's demo mode starts it as a child process and reads that line).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from pathlib import Path

from simulator.lifetime import DataDirInUse, DataDirLock, watch_parent
from simulator.runtime import MiB, Config
from simulator.server import Simulator, bind


#: the access token from the environment (kept out of the process's arguments)
ENV_TOKEN = "DUTY_PLATFORM_TOKEN"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="duty-platform-sim", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--token", default=None,
                   help=f"access token (visible to other users in ps: prefer ${ENV_TOKEN} or --token-file)")
    p.add_argument("--token-file", type=Path, help="read the access token from this file")
    p.add_argument("--tls-cert", type=Path, help="serve HTTPS with this PEM certificate chain")
    p.add_argument("--tls-key", type=Path, help="the PEM private key of --tls-cert")
    p.add_argument("--speed", type=float, default=1.0, help="platform seconds per wall second")
    p.add_argument("--history-days", type=float, default=30.0)
    p.add_argument("--history-tickets", type=int, default=0,
                   help="extra archived tickets before the history window (scale tests)")
    p.add_argument("--timeline-days", type=float, default=3.0,
                   help="history tickets this recent keep their full event timeline")
    p.add_argument("--daily-rate", type=float, default=1500.0, help="new tickets per day")
    p.add_argument("--retention-hours", type=float, default=168.0,
                   help="changes older than this are compacted (older cursors get 410)")
    p.add_argument("--attachment-limit-mb", type=float, default=20.0)
    p.add_argument("--no-streams", action="store_true", help="do not generate camera clips")
    p.add_argument("--no-traffic", action="store_true", help="no live traffic generator")
    p.add_argument("--public-url", default="",
                   help="base URL clients use (camera stream URLs); default from host and port")
    p.add_argument("--allow-unsigned", action="store_true",
                   help="accept officer actions without their actor's signature and without "
                        "the on-duty check (old desks, load tests)")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="stop when the process that started this one is gone (the console's demo)")
    p.add_argument("--log-level", default="WARNING")
    a = p.parse_args(argv)
    if a.speed <= 0:
        p.error("--speed must be positive")
    if bool(a.tls_cert) != bool(a.tls_key):
        p.error("--tls-cert and --tls-key go together")
    for f in (a.tls_cert, a.tls_key):
        if f is not None and not f.is_file():
            p.error(f"{f} does not exist")
    if a.token_file is not None:
        try:
            a.token = a.token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            p.error(f"cannot read --token-file: {exc}")
    a.token = a.token or os.environ.get(ENV_TOKEN) or "demo-token"
    if any(c.isspace() for c in a.token):
        p.error("the access token has spaces in it")
    return a


def config_from(a: argparse.Namespace) -> Config:
    return Config(data_dir=a.data_dir, seed=a.seed, token=a.token, speed=a.speed,
                  tls_cert=str(a.tls_cert or ""), tls_key=str(a.tls_key or ""),
                  require_signatures=not a.allow_unsigned, check_duty=not a.allow_unsigned,
                  history_days=a.history_days, history_tickets=a.history_tickets,
                  timeline_days=a.timeline_days, daily_rate=a.daily_rate,
                  streams=not a.no_streams, traffic=not a.no_traffic,
                  retention_s=a.retention_hours * 3600, attachment_limit=int(a.attachment_limit_mb * MiB),
                  host=a.host, public_url=a.public_url)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    logging.basicConfig(level=a.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        lock = DataDirLock(a.data_dir).acquire()
    except DataDirInUse as exc:
        print(f"duty-platform-sim: {exc}", file=sys.stderr)
        return 3
    try:
        sock = bind(a.host, a.port)
    except OSError as exc:
        print(f"duty-platform-sim: cannot bind {a.host}:{a.port}: {exc}", file=sys.stderr)
        return 2
    sim = Simulator(config_from(a), sock, lock=lock)
    if a.exit_with_parent:
        watch_parent(sim.stop)

    def announce():
        sim.wait_started(timeout=120)
        print(json.dumps({"url": sim.url, "pid": os.getpid()}), flush=True)
    threading.Thread(target=announce, daemon=True).start()
    sim.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
