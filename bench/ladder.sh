#!/usr/bin/env bash
# The intercepted keep-alive ladder: four TLS-intercepting relays measured one after the other as
# the proxy under test of ../shared/bench, each rung doing more of Sekisho's work than the one
# before, so that the distance from the C floor to Sekisho splits into what each layer costs:
#   c-floor      bench/floor/tls-relay.c: OpenSSL both sides, plaintext relayed (C, one thread)
#   netty-bytes  bench/floor/NettyRelay.java bytes: the same on Netty, NIO, netty-tcnative (JVM)
#   netty-http   NettyRelay http: plus Netty's HTTP/1.1 decoders and encoders on both sides
#   sekisho      the Sekisho jar with bench/sekisho-intercept.yaml (policy, audit, limits…)
# The order rotates every round. While each runs, bench/cpu-sampler.sh reads the process's user
# and system CPU and context switches from /proc every second; bench/cpu_split.py turns them into
# per-request figures for each harness window. Usage (as root, like the harness):
#   bench/ladder.sh                      # ROUNDS=2, TESTS="ka_high ka_high ka_high ka_high"
# Knobs: ROUNDS, TESTS, SEKISHO_JAR (default proxy-core/target/sekisho.jar), TLS_RELAY (the built
# tls-relay; built to $out/tls-relay when unset), OUT (default /tmp/bench-ladder/<UTC time>).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
harness=${BENCH_HARNESS:-$here/../../shared/bench/run-peers.sh}
out=${OUT:-/tmp/bench-ladder/$(date -u +%Y%m%dT%H%MZ)}
jar=${SEKISHO_JAR:-$here/../proxy-core/target/sekisho.jar}
rounds=${ROUNDS:-2}
export TESTS=${TESTS:-"ka_high ka_high ka_high ka_high"} PEERS=${PEERS:-" "} REPS=1
mkdir -p "$out"
relay=${TLS_RELAY:-$out/tls-relay}
[ -x "$relay" ] || gcc -O2 -Wall -o "$relay" "$here/floor/tls-relay.c" -lssl -lcrypto
ca=$out/ca
[ -f "$ca/ca.pem" ] || java -jar "$jar" ca init --out "$ca" >/dev/null
"$here/cpu-sampler.sh" "$out/cpu-samples.txt" 3130 & sampler=$!
trap 'kill $sampler 2>/dev/null' EXIT

rung() { # round name
  local cmd
  case "$2" in
    c-floor) cmd="$relay 3130 $ca/ca.pem $ca/ca.key" ;;
    netty-bytes) cmd="env NETTY_RELAY_JAR=$jar $here/floor/netty-relay.sh 3130 $ca/ca.pem $ca/ca.key bytes" ;;
    netty-http) cmd="env NETTY_RELAY_JAR=$jar $here/floor/netty-relay.sh 3130 $ca/ca.pem $ca/ca.key http" ;;
    sekisho)
      RESULTS_DIR="$out/$1-$2" SEKISHO_JAR="$jar" PUT_NAME="$2" flock /tmp/sekisho-bench.lock \
        "$here/run.sh" intercept > "$out/$1-$2.log" 2>&1 || { echo "run $1 $2 failed: $out/$1-$2.log" >&2; exit 1; }
      return ;;
  esac
  RESULTS_DIR="$out/$1-$2" PUT_NAME="$2" PROXY_UNDER_TEST=127.0.0.1:3130 PUT_START_CMD="$cmd" CA_PEM="$ca/ca.pem" \
    flock /tmp/sekisho-bench.lock "$harness" > "$out/$1-$2.log" 2>&1 || { echo "run $1 $2 failed: $out/$1-$2.log" >&2; exit 1; }
}
names=(c-floor netty-bytes netty-http sekisho)
for r in $(seq 1 "$rounds"); do
  echo "round $r: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"
  for i in 0 1 2 3; do rung "$r" "${names[$(( (i + r - 1) % 4 ))]}"; done
done
echo "end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"
kill $sampler 2>/dev/null || true
{
  for n in "${names[@]}"; do python3 "$here/cpu_split.py" "$out/cpu-samples.txt" 3130 "$n" "$out"/*-"$n".log; done
} | tee "$out/cpu-split.txt"
