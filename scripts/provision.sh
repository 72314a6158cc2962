#!/usr/bin/env bash
# Provision a Debian/Ubuntu machine for vxlab: a Docker engine from the distribution's
# packages (started when none answers), debootstrap for building images without a
# registry, tshark for independent packet decoding and Chromium for the browser tests.
# Safe to run again: every step checks before it acts.
set -euo pipefail

log() { printf '[provision] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "provision.sh installs packages and starts dockerd: run it as root (sudo $0)." >&2
  exit 1
fi

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /usr/bin/docker ] || need_pkgs+=(docker.io)
command -v iptables >/dev/null 2>&1 || need_pkgs+=(iptables)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v tshark >/dev/null 2>&1 || need_pkgs+=(tshark)
if [ "${VXLAB_PROVISION_CHROMIUM:-1}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
fi

if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # tshark asks whether non-root users may capture; answer for it.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" ca-certificates >/dev/null
else
  log "packages already present"
fi

# The Debian client matches the Debian engine; a newer client elsewhere on PATH may not.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=docker

if "$DOCKER" info >/dev/null 2>&1; then
  log "a Docker engine already answers"
else
  log "starting dockerd"
  mkdir -p /var/log
  nohup dockerd >/var/log/vxlab-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! "$DOCKER" info >/dev/null 2>&1; then
    echo "dockerd did not answer within 60 s; its log follows:" >&2
    tail -n 40 /var/log/vxlab-dockerd.log >&2
    exit 1
  fi
  log "dockerd answers ($("$DOCKER" version --format '{{.Server.Version}}'))"
fi

# The overlay needs the kernel's vxlan module; say so now rather than at the first lab.
if ! ip link add vxlab-probe type vxlan id 1 dstport 4789 dev lo 2>/dev/null; then
  modprobe vxlan 2>/dev/null || true
  if ! ip link add vxlab-probe type vxlan id 1 dstport 4789 dev lo 2>/dev/null; then
    echo "warning: this kernel refused to create a vxlan device; vxlab's overlays need CONFIG_VXLAN." >&2
  fi
fi
ip link del vxlab-probe 2>/dev/null || true
log "done"
