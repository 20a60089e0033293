#!/usr/bin/env bash
# kube-test.sh - plays deploy/kubernetes/*.yaml with `podman kube play` and shows that two Sekisho
# replicas serve and share sign-in provenance through the Valkey/Redis pod: a sign-in token issued
# through replica A logs in through replica B, once; and a ConfigMap swapped the way a kubelet swaps
# it reaches a running replica, which reloads. Runs after container-test.sh (its image).
# podman 4.3 has no control plane and this machine only 127.0.0.0/8: kube-render.py says what it
# changes for that (host network, one replica per Deployment, no Service/DNS); the rest plays as written.
#   usage: .ci/kube-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE=${BASE_IMAGE:-localhost/debian-jre:bookworm}
WORK=$(mktemp -d /tmp/sekisho-kube-test.XXXXXX)
ORIGIN_PID=""
started=$(date +%s)

log() { echo "[kube-test] $*" >&2; }
fail() {
  log "FAIL: $*"
  for c in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep '^sekisho-'); do podman logs "$c" >&2 || true; done
  exit 1
}
# What this test plays, by name only (never anything else on the machine). podman 4.3 keeps the
# volumes it makes for ConfigMaps, Secrets and emptyDirs after `kube down`: they go too.
remove_played() {
  for p in sekisho-valkey-pod-0 sekisho-a-pod-0 sekisho-b-pod-0; do podman pod rm -f "$p" >/dev/null 2>&1 || true; done
  for s in sekisho-keys sekisho-ca; do podman secret rm "$s" >/dev/null 2>&1 || true; done
  for v in sekisho-ca sekisho-config-a sekisho-config-b sekisho-tmp-a sekisho-tmp-b valkey-data; do
    podman volume rm -f "$v" >/dev/null 2>&1 || true
  done
}
cleanup() {
  [ -n "$ORIGIN_PID" ] && kill "$ORIGIN_PID" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && { log "kept $WORK and the pods"; return; }
  remove_played
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
await() { local what=$1; shift; for _ in $(seq 1 600); do "$@" && return 0; sleep 0.1; done; fail "$what"; }

# --- images: the proxy (container-test.sh built it) and a Redis-protocol store from Debian --------
podman image exists localhost/sekisho:ci \
  || podman build -q --format docker --build-arg BASE_IMAGE="$BASE_IMAGE" -f docker/Dockerfile -t localhost/sekisho:ci . >/dev/null
podman build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -f docker/valkey.Dockerfile -t localhost/sekisho-valkey:ci . >/dev/null
log "images ready"

# --- what the Secret holds: a CA, the HMAC key, the store's password ------------------------------
java -jar proxy-core/target/sekisho.jar ca init --out "$WORK/ca" >/dev/null
openssl rand -hex 32 > "$WORK/token-key"
openssl rand -hex 24 > "$WORK/store-password"

# --- a stand-in for AWS's federation endpoint, with its own CA ----------------------------------
mkdir -p "$WORK/origin"
(
  cd "$WORK/origin"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 1 \
    -subj /CN=kube-test-origin-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
    -subj /CN=signin.aws.amazon.com 2>/dev/null
  printf 'subjectAltName=DNS:signin.aws.amazon.com,DNS:*.signin.aws.amazon.com\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n' > leaf.ext
  openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 1 -extfile leaf.ext 2>/dev/null
)
STORE_PORT=$(free_port); ORIGIN_PORT=$(free_port); PORT_A=$(free_port); PORT_B=$(free_port)
ADMIN_A=$(free_port); ADMIN_B=$(free_port)
python3 .ci/kube-origin.py "$ORIGIN_PORT" "$WORK/origin/leaf.pem" "$WORK/origin/leaf.key" &
ORIGIN_PID=$!

# --- play ----------------------------------------------------------------------------------------
python3 .ci/kube-render.py "$WORK" "$WORK" "$STORE_PORT" "$ORIGIN_PORT" "$PORT_A" "$PORT_B" "$ADMIN_A" "$ADMIN_B"
remove_played
podman secret create sekisho-keys "$WORK/sekisho-keys.json" >/dev/null
podman secret create sekisho-ca "$WORK/sekisho-ca.yaml" >/dev/null
podman kube play "$WORK/play.yaml" >"$WORK/play.out" 2>&1 || { cat "$WORK/play.out" >&2; fail "kube play"; }
grep -i "warn\|limit" "$WORK/play.out" >&2 || true
podman pod ps --format '{{.Name}} {{.Status}}' >&2
await "replica A listening on $PORT_A" listening "$PORT_A"
await "replica B listening on $PORT_B" listening "$PORT_B"
connected() { [ "$(podman ps --format '{{.Names}}' | grep -c '^sekisho-[ab]-pod')" -ge 2 ] \
  && for c in $(podman ps --format '{{.Names}}' | grep '^sekisho-[ab]-pod'); do podman logs "$c" 2>&1 | grep -q "cluster.store .* connected" || return 1; done; }
await "both replicas connected to the store" connected
log "two replicas ready and connected to the store"
# The probes' endpoints, as a kubelet asks them (from outside the container).
readyz() { curl -sS -m 5 "http://127.0.0.1:$1/readyz"; }
for admin in "$ADMIN_A" "$ADMIN_B"; do
  await "/readyz 200 on $admin" curl -sSf -m 5 -o /dev/null "http://127.0.0.1:$admin/readyz"
  body=$(readyz "$admin")
  grep -q "^provenance store: up$" <<<"$body" || fail "/readyz on $admin: $body"
  [ "$(curl -sS -m 5 "http://127.0.0.1:$admin/healthz")" = ok ] || fail "/healthz on $admin"
  metrics=$(curl -sS -m 5 "http://127.0.0.1:$admin/metrics")
  grep -q "^sekisho_provenance_store_up 1.0$" <<<"$metrics" || fail "sekisho_provenance_store_up is not 1 on $admin"
done
# The liveness probe as podman plays it (a healthcheck; without systemd nothing schedules it, so run it once).
for c in $(podman ps --format '{{.Names}}' | grep '^sekisho-[ab]-pod'); do
  podman healthcheck run "$c" >"$WORK/health" 2>&1 || fail "the liveness probe of $c: $(cat "$WORK/health")"
done
podman ps --format '{{.Names}} {{.Status}}' | grep '^sekisho-' >&2 || true
log "both replicas: /readyz 200 with the store up, /healthz ok, sekisho_provenance_store_up 1, liveness probe healthy"

# --- shared provenance: issued through A, used through B, once ---------------------------------
via() { curl -sS -m 15 -x "http://127.0.0.1:$1" --cacert "$WORK/ca/ca.pem" "${@:2}"; }
session='{"sessionId":"ASIARTX3GSDS4GCQ34AW","sessionKey":"k","sessionToken":"t"}'
token=$(via "$PORT_A" -G --data-urlencode Action=getSigninToken --data-urlencode "Session=$session" \
  https://signin.aws.amazon.com/federation | python3 -c 'import json,sys; print(json.load(sys.stdin)["SigninToken"])')
[ -n "$token" ] || fail "no token issued through A"
login() { via "$1" -o /dev/null -D - -G --data-urlencode Action=login --data-urlencode "SigninToken=$2" \
  --data-urlencode Destination=https://console.aws.amazon.com/ https://eu-west-1.signin.aws.amazon.com/federation; }
# Each answer is read whole before grep looks at it (a pipe into grep -q fails under pipefail
# when grep stops reading before curl has written its last header).
heads=$(login "$PORT_B" "$token" || true)
grep -Eq "^HTTP/(1.1|2) 302" <<<"$heads" || fail "a token issued through A was not accepted through B"
heads=$(login "$PORT_A" "$token" || true)
grep -qi "^X-Sekisho-Reason: AWS_SIGNIN_TOKEN_UNKNOWN" <<<"$heads" || fail "a used token was accepted again"
heads=$(login "$PORT_B" "never-issued-$$" || true)
grep -qi "^X-Sekisho-Reason: AWS_SIGNIN_TOKEN_UNKNOWN" <<<"$heads" || fail "a token never issued was accepted"
log "a token issued through A logged in through B, once; a token never issued was refused"

# --- a ConfigMap change reaches a running replica ----------------------------------------------
# podman 4.3 cannot change a played ConfigMap in place: `kube play` again fails ("pod already
# exists") and `kube play --replace` recreates the pods, a restart. What a kubelet does to a running
# pod's ConfigMap volume is AtomicWriter's swap: the files are links through `..data` to a
# timestamped directory, and an update writes a new directory and renames a new `..data` link over
# the old one. The test does exactly that in replica A's ConfigMap volume on the host (the
# container sees the volume live, read-only), and watches A reload: its log, its reload counter,
# and its decisions. B's ConfigMap is left alone and B keeps its configuration.
CM_A=$(podman volume inspect sekisho-config-a --format '{{.Mountpoint}}')
cp "$CM_A/sekisho.yaml" "$WORK/config-a.yaml"
kubelet_swap() { # DIR_WITH_NEW_FILES: the kubelet's AtomicWriter steps, in the volume
  local ts; ts="..$(date +%Y_%m_%d_%H_%M_%S.%N)"
  mkdir "$CM_A/$ts" && cp "$1"/* "$CM_A/$ts/"
  local old; old=$(readlink "$CM_A/..data" || true)
  ln -s "$ts" "$CM_A/..data_tmp" && mv -T "$CM_A/..data_tmp" "$CM_A/..data"
  for f in "$1"/*; do
    f=$(basename "$f")
    [ -L "$CM_A/$f" ] || { ln -s "..data/$f" "$CM_A/$f.tmp" && mv -T "$CM_A/$f.tmp" "$CM_A/$f"; }
  done
  [ -n "$old" ] && rm -rf "${CM_A:?}/$old"
  return 0
}
reloads() { curl -sS -m 5 "http://127.0.0.1:$1/metrics" | sed -n 's/^sekisho_reloads_total{result="success"} \([0-9]*\).*/\1/p'; }
connect_status() { curl -sS -m 15 -o /dev/null -w '%{http_connect}' -x "http://127.0.0.1:$1" --cacert "$WORK/ca/ca.pem" \
  https://signin.aws.amazon.com/federation 2>/dev/null || true; }
signin_allowed() { [ "$(connect_status "$1")" = 200 ]; }
signin_refused() { [ "$(connect_status "$1")" = 403 ]; }
before=$(reloads "$ADMIN_A")
mkdir -p "$WORK/cm-tight" "$WORK/cm-orig"
cp "$CM_A/origin-ca.pem" "$WORK/cm-tight/" && cp "$CM_A/origin-ca.pem" "$WORK/config-a.yaml" "$WORK/cm-orig/"
mv "$WORK/cm-orig/config-a.yaml" "$WORK/cm-orig/sekisho.yaml"
grep -v '^  - \.aws\.amazon\.com$' "$WORK/config-a.yaml" > "$WORK/cm-tight/sekisho.yaml"
cmp -s "$WORK/config-a.yaml" "$WORK/cm-tight/sekisho.yaml" && fail "the tightened ConfigMap is the same as the played one"
signin_allowed "$PORT_A" || fail "before the change, A did not allow signin.aws.amazon.com"
kubelet_swap "$WORK/cm-tight"
await "A refuses signin.aws.amazon.com after its ConfigMap dropped .aws.amazon.com" signin_refused "$PORT_A"
[ "$(reloads "$ADMIN_A")" -gt "$before" ] || fail "A's sekisho_reloads_total{result=success} did not grow"
signin_allowed "$PORT_B" || fail "B changed although its ConfigMap did not"
# (grep reads a file: `podman logs | grep -q` fails under pipefail when grep stops reading early)
podman logs sekisho-a-pod-0-sekisho >"$WORK/a.log" 2>&1
grep -q 'configuration /etc/sekisho/config/sekisho.yaml applied' "$WORK/a.log" || fail "A's log does not say the configuration was applied"
log "a ConfigMap swap (kubelet's ..data rename) reached running replica A: reloaded ($before -> $(reloads "$ADMIN_A") successful reloads), signin.aws.amazon.com now refused; B unchanged"
tightened=$(reloads "$ADMIN_A")
kubelet_swap "$WORK/cm-orig"
# Back to the played file: weaker than the tightened one, but not than the configuration the replica
# started with, which weakenings are measured from; so it applies at once, without the 2 s wait.
await "A allows signin.aws.amazon.com again after its ConfigMap was restored" signin_allowed "$PORT_A"
[ "$(reloads "$ADMIN_A")" -gt "$tightened" ] || fail "the restoring reload was not counted"
log "restored by another swap: reloaded again ($(reloads "$ADMIN_A") successful reloads), signin.aws.amazon.com allowed again"

log "passed in $(( $(date +%s) - started )) s"
