#!/usr/bin/env bash
# A ladder of relays measured one after the other as the proxy under test of ../shared/bench,
# each doing more of Sekisho's work than the one before, so that the distance from a floor to
# Sekisho splits into what each layer costs (docs/performance.md, "The keep-alive ladder" and
# "The new-tunnel ladder"). The order rotates every round.
#   bench/ladder.sh intercept   keep-alive through TLS interception:
#     c-floor      bench/floor/tls-relay.c: OpenSSL both sides, plaintext relayed (C, one thread)
#     netty-bytes  bench/floor/NettyRelay.java bytes: the same on Netty, NIO, netty-tcnative (JVM)
#     netty-http   NettyRelay http: plus Netty's HTTP/1.1 decoders and encoders on both sides
#     sekisho      the Sekisho jar with bench/sekisho-intercept.yaml (policy, audit, limits…)
#   bench/ladder.sh tunnel      new CONNECT tunnels:
#     squid-tunnel the harness's Squid, one worker
#     c-relay      bench/floor/relay.c (C, one thread, epoll)
#     netty-tunnel NettyRelay tunnel: a CONNECT relay on Netty (JVM)
#     sekisho      the Sekisho jar with bench/sekisho-tunnel.yaml
# While each runs, bench/cpu-sampler.sh reads the process's user and system CPU, context switches
# and read/write system calls from /proc every second; bench/cpu_split.py turns them into figures
# per request for each harness window (root, like the harness).
# Knobs: ROUNDS (2), TESTS (four ka_high windows for intercept; four newconn windows of
# NEWCONN_COUNT=6000 for tunnel), SEKISHO_JAR (default proxy-core/target/sekisho.jar),
# TLS_RELAY / CONNECT_RELAY (built C relays; built into $out when unset), OUT (default
# /tmp/bench-ladder/<UTC time>-<variant>).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
harness=${BENCH_HARNESS:-$here/../../shared/bench/run-peers.sh}
variant=${1:-intercept}
case "$variant" in
  intercept) names=(c-floor netty-bytes netty-http sekisho); ports=(3130)
    export TESTS=${TESTS:-"ka_high ka_high ka_high ka_high"} ;;
  tunnel) names=(squid-tunnel c-relay netty-tunnel sekisho); ports=(3130 13128)
    export TESTS=${TESTS:-"newconn newconn newconn newconn"} NEWCONN_COUNT=${NEWCONN_COUNT:-6000} ;;
  *) echo "usage: $0 intercept|tunnel" >&2; exit 2 ;;
esac
out=${OUT:-/tmp/bench-ladder/$(date -u +%Y%m%dT%H%MZ)-$variant}
jar=${SEKISHO_JAR:-$here/../proxy-core/target/sekisho.jar}
rounds=${ROUNDS:-2}
export REPS=1
mkdir -p "$out"
tls_relay=${TLS_RELAY:-$out/tls-relay}
connect_relay=${CONNECT_RELAY:-$out/floor-relay}
[ "$variant" != intercept ] || [ -x "$tls_relay" ] || gcc -O2 -Wall -o "$tls_relay" "$here/floor/tls-relay.c" -lssl -lcrypto
[ "$variant" != tunnel ] || [ -x "$connect_relay" ] || gcc -O2 -Wall -o "$connect_relay" "$here/floor/relay.c"
ca=$out/ca
[ -f "$ca/ca.pem" ] || java -jar "$jar" ca init --out "$ca" >/dev/null
"$here/cpu-sampler.sh" "$out/cpu-samples.txt" "${ports[@]}" & sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

harness_run() { # round name, then env assignments for the harness
  local r=$1 n=$2; shift 2
  env RESULTS_DIR="$out/$r-$n" "$@" flock /tmp/sekisho-bench.lock "$harness" > "$out/$r-$n.log" 2>&1 \
    || { echo "run $r $n failed: $out/$r-$n.log" >&2; exit 1; }
}
put() { # round name start-command [CA]
  harness_run "$1" "$2" PEERS=" " PUT_NAME="$2" PROXY_UNDER_TEST=127.0.0.1:3130 PUT_START_CMD="$3" CA_PEM="${4:-}"
}
netty() { echo "env NETTY_RELAY_JAR=$jar $here/floor/netty-relay.sh 3130 $ca/ca.pem $ca/ca.key $1"; }
rung() { # round name
  case "$2" in
    c-floor) put "$1" "$2" "$tls_relay 3130 $ca/ca.pem $ca/ca.key" "$ca/ca.pem" ;;
    netty-bytes) put "$1" "$2" "$(netty bytes)" "$ca/ca.pem" ;;
    netty-http) put "$1" "$2" "$(netty http)" "$ca/ca.pem" ;;
    c-relay) put "$1" "$2" "$connect_relay 3130" ;;
    netty-tunnel) put "$1" "$2" "$(netty tunnel)" ;;
    squid-tunnel) harness_run "$1" "$2" PEERS=squid-tunnel ;;
    sekisho)
      RESULTS_DIR="$out/$1-$2" SEKISHO_JAR="$jar" PUT_NAME="$2" PEERS=" " flock /tmp/sekisho-bench.lock \
        "$here/run.sh" "$variant" > "$out/$1-$2.log" 2>&1 || { echo "run $1 $2 failed: $out/$1-$2.log" >&2; exit 1; } ;;
  esac
}
for r in $(seq 1 "$rounds"); do
  echo "round $r: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"
  for i in 0 1 2 3; do rung "$r" "${names[$(( (i + r - 1) % 4 ))]}"; done
done
echo "end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"
kill $sampler 2>/dev/null || true
{
  for n in "${names[@]}"; do
    port=3130; [ "$n" = squid-tunnel ] && port=13128
    python3 "$here/cpu_split.py" "$out/cpu-samples.txt" "$port" "$n" "$out"/*-"$n".log
  done
} | tee "$out/cpu-split.txt"
