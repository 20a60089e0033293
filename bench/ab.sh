#!/usr/bin/env bash
# Two Sekisho jars, A and B, measured alternately with the same harness peers, and optionally a
# floor relay (bench/floor) as a third proxy under test: A, B, floor, then B, A, floor... (the
# jars' order flips each round so neither always runs on a warmer or quieter machine). Each
# harness run measures one proxy under test beside the reference peers, so every figure has a
# same-run ratio to a reference peer as well as its own proxy CPU per unit of work. Usage:
#   A_JAR=/tmp/before.jar B_JAR=proxy-core/target/sekisho.jar bench/ab.sh tunnel
#   FLOOR_CMD="/tmp/floor-relay 3130" bench/ab.sh tunnel            # plus the CONNECT floor
#   FLOOR_CMD="/tmp/tls-relay 3130 CA.pem CA.key" FLOOR_CA=CA.pem bench/ab.sh intercept
# Knobs: ROUNDS (default 3), A_NAME/B_NAME, A_YAML/B_YAML (a config other than
# bench/sekisho-<variant>.yaml, for a jar that predates some of its keys), A_JAVA_OPTS/B_JAVA_OPTS
# (the JVM options of one side; default bench/run.sh's), and the harness's own (PEERS, TESTS, DURATION…),
# which default here to PEERS=squid-tunnel TESTS=newconn for tunnel and PEERS=squid-bump
# TESTS="ka_high newconn large" for intercept, REPS=1. Each harness run holds
# /tmp/sekisho-bench.lock, so runs of several people on one machine do not overlap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
variant=${1:-tunnel}
: "${A_JAR:?A_JAR=the first jar}" "${B_JAR:?B_JAR=the second jar}"
A_NAME=${A_NAME:-a}
B_NAME=${B_NAME:-b}
rounds=${ROUNDS:-3}
out=${AB_DIR:-/tmp/bench-ab/$(date -u +%Y%m%dT%H%MZ)-$variant}
harness=${BENCH_HARNESS:-$here/../../shared/bench/run-peers.sh}
case "$variant" in
  tunnel|tunnel-dns) export PEERS=${PEERS:-squid-tunnel} TESTS=${TESTS:-newconn} ;;
  intercept|intercept-aws) export PEERS=${PEERS:-squid-bump} TESTS=${TESTS:-"ka_high newconn large"} ;;
  *) echo "usage: $0 tunnel|tunnel-dns|intercept|intercept-aws" >&2; exit 2 ;;
esac
export REPS=${REPS:-1}
mkdir -p "$out"

jar() { # name jar round yaml java-opts
  RESULTS_DIR="$out/$3-$1" SEKISHO_JAR="$2" PUT_NAME="$1" SEKISHO_YAML="$4" SEKISHO_JAVA_OPTS="$5" \
    flock /tmp/sekisho-bench.lock "$here/run.sh" "$variant" > "$out/$3-$1.log" 2>&1 \
    || { echo "run $3 $1 failed: $out/$3-$1.log" >&2; exit 1; }
}
floor() { # round
  [ -n "${FLOOR_CMD:-}" ] || return 0
  RESULTS_DIR="$out/$1-floor" PUT_NAME=floor PROXY_UNDER_TEST=127.0.0.1:3130 PUT_START_CMD="$FLOOR_CMD" \
    CA_PEM=${FLOOR_CA:-} flock /tmp/sekisho-bench.lock "$harness" > "$out/$1-floor.log" 2>&1 \
    || { echo "run $1 floor failed: $out/$1-floor.log" >&2; exit 1; }
}
for r in $(seq 1 "$rounds"); do
  echo "round $r: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"
  a=("$A_NAME" "$A_JAR" "$r" "${A_YAML:-}" "${A_JAVA_OPTS:-}")
  b=("$B_NAME" "$B_JAR" "$r" "${B_YAML:-}" "${B_JAVA_OPTS:-}")
  if [ $((r % 2)) = 1 ]; then jar "${a[@]}"; jar "${b[@]}"; else jar "${b[@]}"; jar "${a[@]}"; fi
  floor "$r"
done
echo "end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"

# One table: per round and proxy, each test's rate (req/s; MiB/s for large) and the proxy's CPU
# µs per request (per MiB for large: one request is 1 MiB), with
# the reference peers' figures from the same harness run.
{
  printf 'round\trun\tpeer\ttest\trate\tproxy_cpu_us_per_unit\n'
  for d in "$out"/*/; do
    r=$(basename "$d"); r="${r%%-*}\t${r#*-}"
    awk -F'\t' -v r="$r" 'NR > 1 && ($4 == "rps" || $4 == "proxy_cpu_us_per_req") {
        k = ($4 == "rps") ? "rate" : "cpu"; v[$2 "\t" $3, k] = $5; s[$2 "\t" $3] = 1 }
      END { for (x in s) printf "%s\t%s\t%s\t%s\n", r, x, v[x, "rate"], v[x, "cpu"] }' "$d/results.tsv"
  done | sort
} > "$out/ab.tsv"
column -t -s $'\t' "$out/ab.tsv"
echo "results: $out" >&2
