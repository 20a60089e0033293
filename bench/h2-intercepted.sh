#!/usr/bin/env bash
# Intercepted HTTP/2 (issue 16, point 6): requests/s and the proxy's CPU µs per request through
# Sekisho (h2 to the client, HTTP/1.1 to the origin), mitmproxy (h2 to the client) and
# squid-bump (HTTP/1.1 only), in one run, against the harness's nginx origin (HTTP/1.1).
#
# h2load has no proxy option, so each proxy gets a CONNECT forwarder (bench/connect_forwarder.py):
# h2load speaks TLS with ALPN through a tunnel the forwarder opened. h2load runs with -c C
# connections and -m M concurrent streams each; squid-bump gets the same with --h1 (one request
# at a time per connection, C connections). The proxy's CPU is utime+stime of its process tree
# from the end of the warm-up to the end of the run, divided by the requests h2load completed.
#
# Setup: the first run lets the shared harness write its certificates and configs into $RUN_DIR
# (its own ports, so that it does not meet another run on :443). Every process started here is
# stopped by PID at the end. Usage: REPS=1 C=16 M=10 DURATION=10 WARMUP=3 bench/h2-intercepted.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bench=${BENCH_DIR:-$here/../../shared/bench}
run_dir=${RUN_DIR:-/tmp/bench-h2}
REPS=${REPS:-1} C=${C:-4} M=${M:-8} DURATION=${DURATION:-10} WARMUP=${WARMUP:-3} PREWARM=${PREWARM:-10}
ORIGIN_PORT=${ORIGIN_PORT:-8443} SEKISHO_PORT=${SEKISHO_PORT:-3230}
SQUID_BUMP_PORT=${SQUID_BUMP_PORT:-23129} MITM_PORT=${MITM_PORT:-28080}
OUT=${OUT:-$run_dir/h2}
java_opts=${SEKISHO_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
jar=$top/proxy-core/target/sekisho.jar
host=s3.us-east-1.amazonaws.com
[ -f "$jar" ] || { echo "missing $jar: mvn -B -DskipTests package" >&2; exit 1; }
mkdir -p "$OUT" "$run_dir/sekisho-conf"

if [ ! -f "$run_dir/squid-bump/squid.conf" ]; then
  RUN_DIR=$run_dir RESULTS_DIR=$run_dir/setup ORIGIN_PORT=$ORIGIN_PORT SQUID_BUMP_PORT=$SQUID_BUMP_PORT \
    MITM_PORT=$MITM_PORT SQUID_TUNNEL_PORT=23128 TINYPROXY_PORT=28888 PEERS="squid-bump mitmproxy" REPS=1 \
    TESTS=" " "$bench/run-peers.sh" > "$OUT/setup.log" 2>&1 || true
fi
[ -f "$run_dir/sekisho-ca/ca.pem" ] || java -jar "$jar" ca init --out "$run_dir/sekisho-ca" > /dev/null

declare -A pid=()
cleanup() { for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
start() { # start NAME CMD... under the harness's hosts file
  "$bench/with-hosts.sh" "$run_dir/etc/hosts" "$run_dir/etc/resolv.conf" "${@:2}" > "$OUT/$1.log" 2>&1 < /dev/null &
  pid[$1]=$!
}
wait_port() { for _ in $(seq 1 150); do ss -ltnH "sport = :$1" | grep -q . && return 0; sleep 0.2; done; echo "port $1 not up" >&2; exit 1; }
tree() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do tree "$c"; done; }
ticks() { local t=0; for p in $(tree "$1"); do
  [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }

start origin nginx -e "$run_dir/nginx/error.log" -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf"
wait_port "$ORIGIN_PORT"
conf=$run_dir/sekisho-conf/sekisho-h2.yaml
sed -e "s#/tmp/bench-run#$run_dir#g" -e "s#127.0.0.1:3130#127.0.0.1:$SEKISHO_PORT#" \
    -e "s#127.0.0.1:443#127.0.0.1:$ORIGIN_PORT#" -e "s#127.0.0.1:9130#127.0.0.1:9230#" \
    "$here/sekisho-intercept.yaml" > "$conf"
# shellcheck disable=SC2086
start sekisho java $java_opts -jar "$jar" run --config "$conf"
rm -rf "$run_dir/squid-bump/ssl_db"
/usr/lib/squid/security_file_certgen -c -s "$run_dir/squid-bump/ssl_db" -M 16MB > /dev/null
chown -R proxy:proxy "$run_dir/squid-bump"
start squid-bump squid -N -n benchh2bump -f "$run_dir/squid-bump/squid.conf"
start mitmproxy mitmdump -q --listen-host 127.0.0.1 --listen-port "$MITM_PORT" --set confdir="$run_dir/mitmproxy" \
  --set ssl_verify_upstream_trusted_ca="$run_dir/pki/origin-ca.pem" -s "$bench/mitm_allowlist.py" \
  --set allowlist="s3.us-east-1.amazonaws.com,.s3.us-east-1.amazonaws.com"
declare -A port=([sekisho]=$SEKISHO_PORT [squid-bump]=$SQUID_BUMP_PORT [mitmproxy]=$MITM_PORT)
declare -A fwd=([sekisho]=24001 [squid-bump]=24002 [mitmproxy]=24003)
declare -A proto=([sekisho]="" [squid-bump]="--h1" [mitmproxy]="")
for v in sekisho squid-bump mitmproxy; do
  wait_port "${port[$v]}"
  python3 "$here/connect_forwarder.py" "${fwd[$v]}" "${port[$v]}" "$host" > "$OUT/fwd-$v.log" 2>&1 &
  pid[fwd-$v]=$!
  wait_port "${fwd[$v]}"
done
h2run() { # h2run PEER OUTFILE DURATION WARMUP
  local before after
  # shellcheck disable=SC2086
  h2load ${proto[$1]} -c "$C" -m "$M" -D "$3" --warm-up-time="$4" --connect-to="127.0.0.1:${fwd[$1]}" \
    "https://$host/small" 2>&1 | grep -v -e '^progress:' -e 'No protocol negotiated' > "$2" &
  local load=$!
  sleep "$4"; before=$(ticks "${pid[$1]}")
  wait "$load" || true
  after=$(ticks "${pid[$1]}")
  echo "proxy_ticks=$((after - before))" >> "$2"
}
for v in sekisho squid-bump mitmproxy; do h2run "$v" "$OUT/prewarm_$v.out" "$PREWARM" 2; done
hz=$(getconf CLK_TCK)
tsv=$OUT/results.tsv
: > "$tsv"
echo "date: $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)  REPS=$REPS C=$C M=$M DURATION=$DURATION WARMUP=$WARMUP" | tee "$OUT/meta.txt"
echo "versions: $(h2load --version | head -1) nginx/$(nginx -v 2>&1 | cut -d/ -f2) squid/$(squid -v | head -1 | awk '{print $4}') mitmproxy/$(mitmdump --version 2>/dev/null | awk '/Mitmproxy/{print $2}')" | tee -a "$OUT/meta.txt"
for rep in $(seq 1 "$REPS"); do
  for v in sekisho squid-bump mitmproxy; do
    f=$OUT/r${rep}_$v.out
    h2run "$v" "$f" "$DURATION" "$WARMUP"
    rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$f")
    done_n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$f")
    failed=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' "$f")
    proto_used=$(sed -n 's/^Application protocol: //p' "$f")
    t=$(sed -n 's/^proxy_ticks=//p' "$f")
    cpu=$(awk -v t="$t" -v hz="$hz" -v n="$done_n" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$v" "$proto_used" "$rps" "$cpu" "$done_n" "$failed" | tee -a "$tsv"
  done
done
{ echo "| rep | proxy | protocol to the client | req/s | proxy CPU µs/req | requests | failed |"
  echo "|---|---|---|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %.0f | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$tsv"; } | tee "$OUT/summary.md"
