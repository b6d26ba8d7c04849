#!/usr/bin/env bash
# Installs the system packages the tests drive when they are missing: Debian's Chromium
# (browser downloads by test tools do not work offline, so Playwright uses this one), coturn
# (the TURN tests), iptables (the tests that break a network path), redis-server (the
# scale-out tests), nginx (the load balancer in front of several server processes) and janus
# (Janus Gateway with its VideoRoom plugin and WebSocket transport: the SFU bridge's tests).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v janus >/dev/null 2>&1 || missing+=(janus)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages for the tests: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
