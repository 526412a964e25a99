"""``make hall-demo``: a duty hall on one machine.

Starts a private PostgreSQL cluster in a scratch directory (never the system cluster;
``console.hall.pgcluster``), the district-platform simulator behind a fault proxy (the
"district link"), and three desks in hall mode on one hall database. Type at the prompt:

    cut       the district link goes dark (packets vanish)
    restore   the link is back
    status    who syncs, desks online, the hall's outbox
    quit      stop everything (also Ctrl+D / Ctrl+C)

Log in at each desk (accounts of the demo roster, e.g. officer1 / 1234). With the link
cut, act at one desk and watch the others; restore it and the hall's outbox drains once.

``--check``: no interaction; each desk renders a snapshot after ``--quit-after`` seconds
and the demo prints the desks' JSON lines and exits non-zero unless every desk ran on the
hall store and saw one sync holder (a smoke test of the set-up).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from console.hall import pgcluster


def _start_simulator(data_dir: Path, token: str, seed: int) -> tuple[subprocess.Popen, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / "simulator.log", "ab")  # noqa: SIM115 - lives as long as the child
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "--host", "127.0.0.1", "--port", "0",
         "--data-dir", str(data_dir), "--seed", str(seed), "--history-days", "2"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True,
        env={**os.environ, "DUTY_PLATFORM_TOKEN": token})  # not in the arguments ps shows
    line = proc.stdout.readline()
    if not line:
        raise SystemExit(f"hall-demo: the simulator did not start; see {data_dir / 'simulator.log'}")
    return proc, json.loads(line)["url"].rstrip("/")


def _desk(n: int, base: Path, store_url: str, platform: str, token: str,
          check: float | None) -> subprocess.Popen:
    data = base / f"desk{n}"
    data.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "console.app", "--store", store_url, "--platform", platform,
            "--workstation", f"{n}号工位", "--data-dir", str(data)]
    if check is not None:
        argv += ["--snapshot", str(data / "snapshot.png"), "--quit-after", str(check)]
    env = {**os.environ, "DUTY_CONSOLE_TOKEN": token}
    return subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if check is not None else None,
                            stderr=open(data / "console.stderr", "ab"), text=True)  # noqa: SIM115


def _status(store_url: str) -> str:
    from localdb import Store, hall, outbox

    store = Store.open(store_url)
    try:
        with store.session() as s:
            holder = hall.holder(s)
            desks = [p.desk for p in hall.online(s)]
            depth = outbox.depth(s)
    finally:
        store.close()
    who = (holder.get("label") or holder.get("workstation")) if holder else "nobody"
    link = holder.get("link") if holder else "?"
    return f"sync: {who} (district link {link}) · desks online: {', '.join(desks) or '-'} · hall outbox: {depth}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m console.hall.demo", description=__doc__.split("\n")[0])
    p.add_argument("--dir", help="scratch directory (default: a new temporary one, removed at the end)")
    p.add_argument("--desks", type=int, default=3)
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--check", type=float, metavar="SECONDS", help="snapshot each desk after SECONDS and exit")
    a = p.parse_args(argv)
    from console.sync.proxy import FaultProxy

    base = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="duty-hall-demo-"))
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)  # the server's own (unprivileged) user must reach its directory
    cluster = pgcluster.Cluster.create(base / "pg")
    procs: list[subprocess.Popen] = []
    sim = proxy = None
    code = 0
    try:
        cluster.start()
        store_url = cluster.create_hall()
        from localdb.pg import migrate

        migrate(store_url)  # once, before the desks start
        # one contact key for the hall: every desk (and this status view) opens the hall
        # store with the same file (docs/SECURITY.md)
        from localdb import crypto

        key_file = base / "hall-contact.key"
        if not key_file.exists():
            crypto.create_key_file(key_file)
        os.environ[crypto.ENV_KEY_FILE] = str(key_file)
        token = secrets.token_urlsafe(18)
        sim, sim_url = _start_simulator(base / "platform", token, a.seed)
        port = int(sim_url.rsplit(":", 1)[1])
        proxy = FaultProxy("127.0.0.1", port, seed=a.seed)
        proxy.__enter__()
        print(f"hall database: {pgcluster.Cluster.load(base / 'pg').url().split('@')[1]} "
              f"(private cluster in {base / 'pg'})\ndistrict platform: {sim_url} via the link {proxy.url}",
              flush=True)
        procs = [_desk(n, base, store_url, proxy.url, token, a.check) for n in range(1, a.desks + 1)]
        if a.check is not None:
            return _check(procs, a.check)
        print(__doc__.split("\n\n")[1], flush=True)
        while True:
            try:
                cmd = input("hall-demo> ").strip().lower()
            except (EOFError, KeyboardInterrupt):
                break
            if cmd == "cut":
                proxy.partition("blackhole")
                print("district link cut")
            elif cmd == "restore":
                proxy.pass_through()
                print("district link restored")
            elif cmd == "status":
                print(_status(store_url))
            elif cmd in ("quit", "exit", "q"):
                break
            elif cmd:
                print("cut | restore | status | quit")
    finally:
        for pr in procs:
            if pr.poll() is None:
                pr.terminate()
        for pr in procs:
            try:
                pr.wait(20)
            except subprocess.TimeoutExpired:
                pr.kill()
        if proxy is not None:
            proxy.close()
        if sim is not None and sim.poll() is None:
            sim.terminate()
            sim.wait(10)
        cluster.destroy()
        if not a.dir:
            shutil.rmtree(base, ignore_errors=True)
    return code


def _check(procs: list[subprocess.Popen], quit_after: float) -> int:
    lines = []
    ok = True
    for pr in procs:
        out, _ = pr.communicate(timeout=quit_after + 120)
        info = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        lines.append(info)
        print(json.dumps({k: info.get(k) for k in ("store", "desks_online", "sync_holder", "link", "tickets")},
                         ensure_ascii=False))
        ok &= info.get("store") == "postgresql" and bool(info.get("sync_holder"))
    holders = {i.get("sync_holder") for i in lines}
    ok &= len(holders) == 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
