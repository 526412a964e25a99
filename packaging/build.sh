#!/usr/bin/env bash
# `make package`: PyInstaller one-folder bundle + .deb, then smoke tests of both.
# Writes build/package-report.json with build time, sizes and cold-start time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PY=.venv/bin/python
t0=$(date +%s)
$PY -m pip install -q -e '.[test,package]'
version=$($PY -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)

# Translations compiled ahead (a frozen bundle has no lrelease).
for ts in resources/i18n/*.ts; do
  [ -e "$ts" ] || continue
  .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
[ -f docs/openapi.json ] || $PY -m simulator.openapi

rm -rf build/pyi dist/duty-console
QT_QPA_PLATFORM=offscreen .venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyi packaging/duty-console.spec
t_bundle=$(date +%s)

stage=build/deb/duty-console_${version}_${arch}
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/etc/duty-console"
cp -a dist/duty-console "$stage/opt/duty-console"
install -m 0755 packaging/deb/duty-console.sh "$stage/usr/bin/duty-console"
install -m 0644 packaging/deb/duty-console.desktop "$stage/usr/share/applications/duty-console.desktop"
install -m 0644 packaging/config.ini.example "$stage/etc/duty-console/config.ini.example"
QT_QPA_PLATFORM=offscreen $PY packaging/make_icon.py "$stage/usr/share/icons/hicolor/256x256/apps/duty-console.png"
deps=$(grep -v '^#' packaging/sysdeps.txt | tr ' ' '\n' | grep -v -e '^$' -e '^xvfb$' | paste -sd, | sed 's/,/, /g')
size_kb=$(du -sk "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: duty-console
Version: ${version}
Architecture: ${arch}
Maintainer: Duty console team <duty-console@localhost>
Installed-Size: ${size_kb}
Depends: ${deps}
Section: misc
Priority: optional
Description: Street city-operations centre duty hall console (城运值班台)
 Map, video wall, ticket queue and rotating-commander panel for a street
 city-operations centre, synced with the district platform, working offline.
CONTROL
mkdir -p dist
deb=dist/duty-console_${version}_${arch}.deb
fakeroot dpkg-deb --build -Zzstd "$stage" "$deb" >/dev/null
t_deb=$(date +%s)

echo "package: bundle $(du -sh dist/duty-console | cut -f1), deb $(du -h "$deb" | cut -f1)"
bash packaging/smoke.sh dist/duty-console/duty-console "$deb" \
  "$((t_bundle - t0))" "$((t_deb - t0))" > build/package-report.json
cat build/package-report.json
