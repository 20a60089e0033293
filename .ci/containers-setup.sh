#!/usr/bin/env bash
# containers-setup.sh - CI (.ci/run) runs this before the container image tests: a Docker-compatible OCI engine
# with no container registry: rootful podman 4.3 (Debian 12) + runc, its Docker API on /run/podman/podman.sock (also linked at
# /var/run/docker.sock), and a local base image built by debootstrap from the Debian mirror apt uses.
# Idempotent: every step is skipped when already done. Needs root and Debian's package mirror.
#   usage: bash containers-setup.sh            # set up (and start the API service)
#          bash containers-setup.sh stop       # stop the API service this script started
set -euo pipefail

BASE_IMAGE=${BASE_IMAGE:-localhost/debian-jre:bookworm}
BASE_PACKAGES=${BASE_PACKAGES:-openjdk-17-jre-headless}     # comma-separated, for debootstrap --include
SOCK=/run/podman/podman.sock
PIDFILE=/run/podman/podman-service.pid
SERVICE_LOG=${PODMAN_SERVICE_LOG:-/tmp/podman-service.log}

log() { echo "[containers-setup] $*" >&2; }
step() { local s; s=$(date +%s.%N); "$@"; log "$1 done in $(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"; }
api_ok() { [ "$(curl -sS -m 5 --unix-socket "$SOCK" http://d/_ping 2>/dev/null)" = "OK" ]; }

if [ "${1:-}" = "stop" ]; then
  # Testcontainers without Ryuk leaves images built by ImageFromDockerfile (tagged, so its prune skips them)
  if command -v podman >/dev/null; then
    podman ps -aq --filter label=org.testcontainers=true | xargs -r podman rm -f >/dev/null 2>&1 || true
    podman images -q --filter label=org.testcontainers=true | xargs -r podman rmi -f >/dev/null 2>&1 || true
  fi
  if [ -f "$PIDFILE" ] && pid=$(cat "$PIDFILE") && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$PIDFILE"
  [ -L /var/run/docker.sock ] && [ "$(readlink /var/run/docker.sock)" = "$SOCK" ] && rm -f /var/run/docker.sock
  exit 0
fi

[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }

install_packages() {
  local need=()
  for c in podman runc debootstrap curl; do command -v "$c" >/dev/null || need+=("$c"); done
  [ ${#need[@]} -eq 0 ] && return 0
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq podman runc debootstrap curl >/dev/null
}

configure_podman() {
  # crun 1.8 (podman's default here) refuses this kernel's hybrid cgroup v1/v2 layout:
  #   "crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2"  -> use runc.
  # root lacks CAP_SYS_RESOURCE here, so podman's default ulimits (nofile=1048576, nproc=1048576 when
  # any --ulimit is given) fail with "setrlimit RLIMIT_NOFILE/NPROC: Operation not permitted"
  #   -> default to the current hard limits (podman itself lowers its NPROC to kernel.pid_max).
  local nofile nproc pidmax
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu); pidmax=$(cat /proc/sys/kernel/pid_max)
  [ "$nofile" = unlimited ] && nofile=1048576
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ]; } && nproc=$pidmax
  mkdir -p /etc/containers
  cat > /etc/containers/containers.conf <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}

debian_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1=="deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || { echo "no Debian mirror found in the apt sources" >&2; return 1; }
  echo "$m"
}

build_base_image() {
  podman image exists "$BASE_IMAGE" && return 0
  local root; root=$(mktemp -d /tmp/debian-rootfs.XXXXXX)
  debootstrap --variant=minbase --include="$BASE_PACKAGES" bookworm "$root" "$(debian_mirror)" >/tmp/debootstrap.log 2>&1 \
    || { tail -20 /tmp/debootstrap.log >&2; rm -rf "$root"; return 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
         "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
  tar -C "$root" -c . | podman import --quiet \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
}

start_api() {
  if ! api_ok; then
    mkdir -p /run/podman
    rm -f "$SOCK"
    setsid podman system service --time=0 "unix://$SOCK" </dev/null >"$SERVICE_LOG" 2>&1 &
    echo $! > "$PIDFILE"
    for _ in $(seq 1 100); do api_ok && break; sleep 0.2; done
    api_ok || { log "podman API did not come up; see $SERVICE_LOG"; return 1; }
  fi
  # Default Docker socket path, so Testcontainers and the docker CLI need no DOCKER_HOST. Never replace a
  # live socket of a real Docker engine.
  if [ ! -S /var/run/docker.sock ] || [ "$(readlink /var/run/docker.sock 2>/dev/null)" = "$SOCK" ]; then
    ln -sfn "$SOCK" /var/run/docker.sock
  fi
}

step install_packages
step configure_podman
step build_base_image
step start_api
podman run --rm "$BASE_IMAGE" true \
  && log "ready: $BASE_IMAGE runs; Docker API at unix://$SOCK (and /var/run/docker.sock)" \
  || { log "smoke test failed: podman run --rm $BASE_IMAGE true"; exit 1; }
