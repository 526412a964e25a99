"""A private PostgreSQL cluster in a scratch directory, for tests and ``make hall-demo``.

Never the system cluster: ``initdb`` in a directory of our own, a unix socket in that
directory, TCP only on 127.0.0.1 and a free port. PostgreSQL refuses to run as root,
so as root the server runs as an unprivileged system user (``nobody`` unless
``DUTY_PG_USER`` names another) through ``runuser``.

The superuser (``postgres``) is reachable only over the private unix socket; the
console connects over TCP as an application role that is not a superuser, cannot
create roles or databases and owns only the hall database (see docs/HALL.md).

    python -m console.hall.pgcluster start DIR   # prints the hall URL as JSON
    python -m console.hall.pgcluster stop DIR
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
ENV_BIN = "DUTY_PG_BIN"
ENV_USER = "DUTY_PG_USER"
APP_ROLE = "duty_app"
DB_NAME = "hall"
STATE = "cluster.json"


class ClusterError(RuntimeError):
    """The private cluster could not be created, started or stopped."""


def pg_bin() -> Path:
    cands = [os.environ[ENV_BIN]] if os.environ.get(ENV_BIN) else list(BIN_DIRS)
    found = shutil.which("pg_config")
    if found:
        try:
            cands.append(subprocess.run([found, "--bindir"], capture_output=True, text=True,
                                        check=True).stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    for c in cands:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise ClusterError(
        "PostgreSQL server programs (initdb, pg_ctl) not found in "
        + ", ".join(cands) + ". Install them: sudo apt-get install postgresql "
        "(packaging/setup-env.sh does this when run as root), or set " + ENV_BIN + ".")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """One private cluster rooted at ``base`` (data/, sock/, server.log, cluster.json)."""

    base: Path
    port: int = 0
    password: str = ""
    os_user: str = ""

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def sock(self) -> Path:
        return self.base / "sock"

    @property
    def logfile(self) -> Path:
        return self.base / "server.log"

    def url(self, role: str = APP_ROLE, password: str | None = None, db: str = DB_NAME) -> str:
        pw = self.password if password is None else password
        return f"postgresql://{role}:{pw}@127.0.0.1:{self.port}/{db}"

    # -- running commands as the cluster's owner --------------------------------------
    def _as_owner(self, argv: list[str], **kw) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            argv = ["runuser", "-u", self.os_user, "--", *argv]
        return subprocess.run(argv, cwd=str(self.base), capture_output=True, text=True, **kw)

    def _save(self) -> None:
        (self.base / STATE).write_text(json.dumps(
            {"port": self.port, "password": self.password, "os_user": self.os_user}))
        os.chmod(self.base / STATE, 0o600)

    @classmethod
    def load(cls, base: str | Path) -> "Cluster":
        base = Path(base)
        st = json.loads((base / STATE).read_text())
        return cls(base, st["port"], st["password"], st["os_user"])

    # -- life cycle ---------------------------------------------------------------------
    @classmethod
    def create(cls, base: str | Path, *, port: int = 0) -> "Cluster":
        """initdb a new cluster in ``base`` (must be empty or absent)."""
        base = Path(base)
        base.mkdir(parents=True, exist_ok=True)
        if any(base.iterdir()):
            raise ClusterError(f"{base} is not empty; a private cluster needs a fresh directory")
        os_user = os.environ.get(ENV_USER) or ("nobody" if os.geteuid() == 0 else
                                               pwd.getpwuid(os.geteuid()).pw_name)
        c = cls(base, port or free_port(), secrets.token_urlsafe(18), os_user)
        c.sock.mkdir()
        if os.geteuid() == 0:
            pw = pwd.getpwnam(os_user)
            for p in (base, c.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            base.chmod(0o700)
        binp = pg_bin()
        r = c._as_owner([str(binp / "initdb"), "-D", str(c.data), "-U", "postgres",
                         "--auth-local=trust", "--auth-host=scram-sha-256",
                         "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        if r.returncode:
            raise ClusterError(f"initdb failed: {r.stderr.strip() or r.stdout.strip()}")
        conf = c.data / "postgresql.conf"
        with conf.open("a") as f:
            f.write(
                "\n# private duty-console cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {c.port}\n"
                f"unix_socket_directories = '{c.sock}'\n"
                "fsync = on\nsynchronous_commit = on\n"
                "max_connections = 200\nshared_buffers = 64MB\n"
                "log_min_messages = warning\n"
                "jit = off\n"
            )
        # Superuser only on the private socket; everyone else by password over TCP.
        (c.data / "pg_hba.conf").write_text(
            "local all postgres trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n")
        c._save()
        return c

    def start(self, timeout: float = 30.0) -> None:
        r = self._as_owner([str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile),
                            "-w", "-t", str(int(timeout)), "start"])
        if r.returncode:
            tail = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise ClusterError(f"PostgreSQL did not start: {r.stderr.strip()} {tail}")

    def stop(self, mode: str = "fast") -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        r = self._as_owner([str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                            "-t", "30", "stop"])
        if r.returncode and (self.data / "postmaster.pid").exists():
            raise ClusterError(f"PostgreSQL did not stop: {r.stderr.strip()}")

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self) -> None:
        """SIGKILL the postmaster (a crash: the next start runs recovery). Its backends
        exit when they notice the postmaster is gone."""
        pid = self.postmaster_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self._alive(pid):
                time.sleep(0.05)
        # the backends still hold the shared memory for a moment
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._as_owner([str(pg_bin() / "pg_ctl"), "-D", str(self.data), "status"]).returncode:
                break
            time.sleep(0.05)

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split()[2] != "Z"
        except OSError:
            return False

    def restart(self) -> None:
        self.stop()
        self.start()

    # -- administration (superuser over the private socket) -------------------------------
    def admin(self, db: str = "postgres"):
        import psycopg

        return psycopg.connect(host=str(self.sock), port=self.port, user="postgres", dbname=db,
                               autocommit=True)

    def create_hall(self, role: str = APP_ROLE, db: str = DB_NAME, password: str | None = None) -> str:
        """The application role (login, no superuser, no CREATEDB/CREATEROLE) owning a
        new database ``db`` with pg_trgm installed. Returns the hall URL."""
        from psycopg import sql

        pw = self.password if password is None else password
        with self.admin() as con:
            if not con.execute("SELECT 1 FROM pg_roles WHERE rolname=%s", (role,)).fetchone():
                con.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                                    "NOREPLICATION PASSWORD {}").format(sql.Identifier(role),
                                                                        sql.Literal(pw)))
            con.execute(sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0")
                        .format(sql.Identifier(db), sql.Identifier(role)))
        with self.admin(db) as con:
            con.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            con.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(db)))
            con.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
            con.execute(sql.SQL("GRANT CREATE, USAGE ON SCHEMA public TO {}").format(sql.Identifier(role)))
        return self.url(role, pw, db)

    def drop_db(self, db: str) -> None:
        from psycopg import sql

        with self.admin() as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m console.hall.pgcluster",
                                description="private PostgreSQL cluster for hall-mode tests and demos")
    p.add_argument("action", choices=("start", "stop", "destroy", "url"))
    p.add_argument("dir")
    a = p.parse_args(argv)
    base = Path(a.dir).resolve()
    try:
        if a.action == "start":
            fresh = not (base / STATE).exists()
            c = Cluster.create(base) if fresh else Cluster.load(base)
            c.start()
            url = c.create_hall() if fresh else c.url()
            print(json.dumps({"url": url, "port": c.port, "dir": str(base)}))
        elif a.action == "url":
            print(Cluster.load(base).url())
        elif a.action == "stop":
            if (base / STATE).exists():
                Cluster.load(base).stop()
        else:
            if (base / STATE).exists():
                Cluster.load(base).destroy()
    except ClusterError as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
