#!/bin/sh
# Installed as /usr/bin/duty-console by the .deb.
export QTWEBENGINE_DISABLE_SANDBOX="${QTWEBENGINE_DISABLE_SANDBOX:-$( [ "$(id -u)" = 0 ] && echo 1 )}"
exec /opt/duty-console/duty-console "$@"
