"""Shanghai time must not depend on the machine having a system zoneinfo database.

A fresh CI machine had none (or had it replaced under us by a package upgrade): every module that
builds ``ZoneInfo("Asia/Shanghai")`` failed to import. The pinned ``tzdata`` package is the fallback.
"""
import subprocess
import sys


def test_shanghai_zone_loads_without_a_system_zoneinfo(tmp_path):
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    code = ("import console.domain.formatting as f, console.domain.timelimits as t, console.domain.roster as r;"
            "from datetime import datetime;"
            "print(datetime(2026, 12, 3, 4, 0, tzinfo=f.SHANGHAI).utcoffset().total_seconds())")
    env = {"PYTHONTZPATH": str(empty), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "28800.0"
