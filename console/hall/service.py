"""``duty-console hall-sync``: the hall's district sync as a service on the hall server.

Optional: every desk in hall mode already contends for the sync lock, so the hall
syncs as long as one desk runs. A service on the hall server (systemd unit in
docs/HALL.md) keeps the sync up when all desks are closed, for instance at night,
and keeps the district link off the desks' own network path. It is the same
``HallSync`` the desks run: whoever holds the lock syncs, the others wait.

    DUTY_CONSOLE_TOKEN=... duty-console hall-sync --store postgresql://duty_app@hall/hall \\
        --platform https://district.example/ --workstation hall-server

Prints one JSON line per change of role (``standby``, ``holding``, ``down``) on stdout
and runs until SIGTERM or SIGINT. The token comes from the environment (never argv).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

ENV_TOKEN = "DUTY_CONSOLE_TOKEN"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="duty-console hall-sync",
                                description="Run the duty hall's one district sync (hall mode).")
    p.add_argument("--store", required=True, metavar="URL", help="postgresql://... of the hall database")
    p.add_argument("--platform", required=True, metavar="URL", help="district platform base URL")
    p.add_argument("--workstation", default="hall-sync", help="name shown as the sync holder")
    p.add_argument("--label", default="", help="label shown in the status bar (default: the workstation)")
    p.add_argument("--ca-bundle", metavar="PATH",
                   help="the hall's CA bundle for the platform's TLS certificate (always verified)")
    p.add_argument("--key-file", metavar="PATH",
                   help="the hall's contact key file (default: $DUTY_CONSOLE_KEY_FILE, else the data directory's)")
    p.add_argument("--log-level", default="INFO")
    return p.parse_args(argv)


def _say(event: str, **kw: object) -> None:
    sys.stdout.write(json.dumps({"event": event, "t": time.time(), **kw}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    args = parse(argv)
    logging.basicConfig(level=getattr(logging, str(args.log_level).upper(), logging.INFO),
                        stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    token = os.environ.get(ENV_TOKEN, "")
    if not token:
        print(f"duty-console hall-sync: no platform token; set {ENV_TOKEN}", file=sys.stderr)
        return 2
    from console import logs
    from console.hall.holder import HallSync
    from console.sync.client import PlatformClient
    from console.sync.engine import SyncEngine
    from localdb import Store, StoreError
    from localdb.pg import is_pg_url

    logs.add_secret(token)
    if not is_pg_url(args.store):
        print("duty-console hall-sync: --store must be the hall database (postgresql://...)",
              file=sys.stderr)
        return 2
    try:
        store = Store.open(args.store, key_file=args.key_file)
    except StoreError as exc:
        print(f"duty-console hall-sync: {exc}", file=sys.stderr)
        return 1
    try:
        client = PlatformClient(args.platform, token, ca_bundle=args.ca_bundle)
    except ValueError as exc:
        print(f"duty-console hall-sync: {exc}", file=sys.stderr)
        store.close()
        return 2

    def make_engine() -> SyncEngine:
        return SyncEngine(store, client, args.workstation)

    sync = HallSync(store, make_engine, args.workstation, label=args.label or args.workstation,
                    client=client, on_role=lambda role: _say(role, pid=os.getpid()))
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    _say("started", pid=os.getpid())
    sync.start()
    while not done.wait(0.5):
        pass
    sync.stop(8.0)
    store.close()
    _say("stopped", pid=os.getpid())
    return 0
