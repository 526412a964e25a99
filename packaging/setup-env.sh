#!/usr/bin/env bash
# Set up everything `make run` / `make test` need on a fresh Debian/Ubuntu machine:
# system libraries (apt, when root), a .venv with the pinned Python packages.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
PY=${PYTHON:-python3}
pkgs=$(grep -v '^#' packaging/sysdeps.txt | tr '\n' ' ')
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # libasound2 is libasound2t64 on newer Ubuntu/Debian: install what exists.
    apt-get update -qq >/dev/null || true
    avail=()
    for p in "${missing[@]}"; do
      if apt-cache show "$p" >/dev/null 2>&1; then avail+=("$p");
      elif apt-cache show "${p}t64" >/dev/null 2>&1; then avail+=("${p}t64"); fi
    done
    [ ${#avail[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends "${avail[@]}" >/dev/null
  else
    echo "setup: these system packages are missing; ask an administrator to run:"
    echo "  sudo apt-get install ${missing[*]}"
  fi
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
