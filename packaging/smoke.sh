#!/usr/bin/env bash
# Smoke-test a built bundle and .deb: start each in demo mode with --snapshot and check
# the one JSON line. Prints a JSON report (sizes, cold start) on stdout; fails loudly.
set -euo pipefail
bin=$1 deb=$2 build_s=${3:-0} total_s=${4:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1

check() {  # $1 = binary, $2 = label
  local t0 t1 line
  t0=$(date +%s.%N)
  line=$(timeout 120 "$1" --demo --data-dir "$work/$2" --snapshot "$work/$2.png" --quit-after 15 | tail -n 1)
  t1=$(date +%s.%N)
  python3 - "$line" "$2" <<'PY' >&2
import json, sys
line, label = sys.argv[1], sys.argv[2]
try:
    d = json.loads(line)
except ValueError:
    sys.exit(f"smoke {label}: no JSON line from --snapshot: {line!r}")
if not d.get("panels"):
    sys.exit(f"smoke {label}: no panels shown: {d}")
print(f"smoke {label}: ok {d}")
PY
  [ -s "$work/$2.png" ] || { echo "smoke $2: no PNG written" >&2; exit 1; }
  echo "$t0 $t1"
}

read -r a0 a1 < <(check "$bin" bundle)
# Install the .deb into a scratch root and run the installed command the same way.
dpkg-deb -x "$deb" "$work/root"
read -r b0 b1 < <(check "$work/root/opt/duty-console/duty-console" deb)
# Cold start: process start to first painted window, from the console's own log line,
# on the workstation data the first run left (as on a hall PC the morning after).
rm -f "$work"/bundle/logs/*.log
timeout 90 "$bin" --demo --data-dir "$work/bundle" --quit-after 2 >/dev/null 2>"$work/cold.err" || true
cold=$(cat "$work/cold.err" "$work"/bundle/logs/*.log 2>/dev/null \
       | sed -n 's/.*first paint \([0-9.]*\) s after process start.*/\1/p' | head -n1)
python3 - <<PY
import json, os
print(json.dumps({
  "build_s": $build_s, "total_s": $total_s,
  "bundle_mb": $(du -sm "$(dirname "$bin")" | cut -f1),
  "deb_mb": round(os.path.getsize("$deb") / 2**20, 1),
  "cold_start_s": float("${cold:-nan}") if "${cold}" else None,
  "smoke": "ok"}))
PY
