#!/usr/bin/env bash
# Shared by run.sh, test.sh and bench.sh: install what Harbor needs on a fresh Debian/Ubuntu
# machine and make sure a Docker engine answers. Safe to run again; does nothing when all is there.

harbor_log() { printf '\033[1m[harbor]\033[0m %s\n' "$*" >&2; }

# harbor_install_packages PKG... : apt-get install the packages whose commands/files are missing.
harbor_install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    harbor_log "missing packages: ${missing[*]} (install them, or run this script as root on Debian/Ubuntu)"
    return 1
  fi
  harbor_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix is only a program the tests start with their own configuration and ports: "No
  # configuration" keeps the package from writing /etc/postfix/main.cf and starting a system
  # daemon on port 25.
  if printf '%s\n' "${missing[@]}" | grep -qx postfix; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  fi
  if ! apt-get install -y -qq "${missing[@]}" >/tmp/harbor-apt.log 2>&1; then
    apt-get update -qq >>/tmp/harbor-apt.log 2>&1
    apt-get install -y -qq "${missing[@]}" >>/tmp/harbor-apt.log 2>&1 || { cat /tmp/harbor-apt.log >&2; return 1; }
  fi
}

# harbor_ensure_docker : a Docker engine that answers `docker info`, starting dockerd if needed.
harbor_ensure_docker() {
  if docker info >/dev/null 2>&1; then
    return 0
  fi
  command -v dockerd >/dev/null 2>&1 || harbor_install_packages docker.io || return 1
  if [ "$(id -u)" -ne 0 ]; then
    harbor_log "no Docker engine answers and starting one needs root (sudo dockerd, or start the docker service)"
    return 1
  fi
  harbor_log "starting dockerd (log: /var/log/harbor-dockerd.log)"
  nohup dockerd >/var/log/harbor-dockerd.log 2>&1 &
  local i
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  harbor_log "dockerd did not come up; see /var/log/harbor-dockerd.log"
  tail -n 20 /var/log/harbor-dockerd.log >&2 || true
  return 1
}
