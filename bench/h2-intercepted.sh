#!/usr/bin/env bash
# Intercepted HTTP/2 (issue 16, point 6): requests/s and the proxy's CPU µs per request through
# Sekisho (h2 to the client, HTTP/1.1 to the origin), mitmproxy (h2 to the client) and squid-bump
# (HTTP/1.1 only), in one run, against the shared harness's nginx origin (HTTP/1.1).
#
# The load client is InterceptedH2Load (proxy-core test sources, Netty): it speaks CONNECT, TLS
# (SNI, only the peer's CA trusted, ALPN) and HTTP/2 itself, checks every response (200, 1024
# bytes), and reads the proxy's CPU (utime+stime of its PID and descendants, /proc) at the exact
# start and end of each measured window. h2 peers get C connections x M streams; h1 peers get
# C*M connections with one request at a time each (the same number of requests in flight).
# One JVM runs the whole measurement: peers alternate within a rep, the order rotates per rep.
#
# Usage:   bench/h2-intercepted.sh                      (needs root: mount namespaces, squid)
#          REPS=1 DURATION=3 WARMUP=1 PREWARM=2 bench/h2-intercepted.sh   (smoke run)
# Knobs:   REPS=3 DURATION=10 WARMUP=3 PREWARM=10 C=4 M=8 CLIENT_THREADS=1 REQ_PATH=/small BODY_SIZE=1024
#          PEERS="sekisho:h2 mitmproxy:h2 squid-bump:h1" (add sekisho:h1 or mitmproxy:h1 to compare)
#          ORIGIN_PORT=8443 SEKISHO_PORT=3230 SEKISHO_ADMIN_PORT=9230 SQUID_BUMP_PORT=23129 MITM_PORT=28080
#          RUN_DIR=/tmp/bench-h2 OUT=$RUN_DIR/results/<UTC time> BUILD=auto|1|0 SEKISHO_JAVA_OPTS CLIENT_JAVA_OPTS
# The first run lets the shared harness (../shared/bench/run-peers.sh) write certificates and
# configs into $RUN_DIR, on this script's own ports. Every process started here is stopped by PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bench=${BENCH_DIR:-$here/../../shared/bench}
run_dir=${RUN_DIR:-/tmp/bench-h2}
REPS=${REPS:-3} DURATION=${DURATION:-10} WARMUP=${WARMUP:-3} PREWARM=${PREWARM:-10}
C=${C:-4} M=${M:-8} CLIENT_THREADS=${CLIENT_THREADS:-1} REQ_PATH=${REQ_PATH:-/small} BODY_SIZE=${BODY_SIZE:-1024}
PEERS=${PEERS:-"sekisho:h2 mitmproxy:h2 squid-bump:h1"}
ORIGIN_PORT=${ORIGIN_PORT:-8443} SEKISHO_PORT=${SEKISHO_PORT:-3230} SEKISHO_ADMIN_PORT=${SEKISHO_ADMIN_PORT:-9230}
SQUID_BUMP_PORT=${SQUID_BUMP_PORT:-23129} MITM_PORT=${MITM_PORT:-28080}
OUT=${OUT:-$run_dir/results/$(date -u +%Y%m%dT%H%M%SZ)}
BUILD=${BUILD:-auto}
sekisho_opts=${SEKISHO_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
client_opts=${CLIENT_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseSerialGC -Dio.netty.leakDetection.level=disabled"}
host=s3.us-east-1.amazonaws.com
blocked=blocked.example.com
jar=$top/proxy-core/target/sekisho.jar
cpfile=$top/proxy-core/target/h2-bench.cp
main_class=io.sekisho.proxy.h2.bench.InterceptedH2Load
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- build: the jar and the test classes, when missing or older than a source file (BUILD=auto)
stale() {
  [ -f "$jar" ] && [ -f "$cpfile" ] && [ -f "$top/proxy-core/target/test-classes/${main_class//.//}.class" ] || return 0
  [ -n "$(find "$top"/*/src "$top"/pom.xml "$top"/*/pom.xml -newer "$jar" -type f -print -quit)" ]
}
if [ "$BUILD" = 1 ] || { [ "$BUILD" = auto ] && stale; }; then
  log "building sekisho.jar and the test classes (mvn -o package -DskipTests)"
  (cd "$top" && mvn -B -q -o -pl proxy-core -am package dependency:build-classpath -DskipTests -Dfuzz.skip=true \
      -Djacoco.skip=true -Dcheckstyle.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/h2-bench.cp)
fi
mkdir -p "$OUT" "$run_dir/sekisho-conf"

# ---- certificates and configs from the shared harness (its own ports), and Sekisho's CA
if ! grep -qs "127.0.0.1:$ORIGIN_PORT " "$run_dir/nginx/nginx.conf" \
    || ! grep -qs "127.0.0.1:$SQUID_BUMP_PORT " "$run_dir/squid-bump/squid.conf" \
    || [ ! -s "$run_dir/mitmproxy/mitmproxy-ca-cert.pem" ]; then
  log "setting up $run_dir with the shared harness (log: $OUT/setup.log)"
  RUN_DIR=$run_dir RESULTS_DIR=$run_dir/setup ORIGIN_PORT=$ORIGIN_PORT SQUID_BUMP_PORT=$SQUID_BUMP_PORT \
    MITM_PORT=$MITM_PORT SQUID_TUNNEL_PORT=23128 TINYPROXY_PORT=28888 PEERS="squid-bump mitmproxy" REPS=1 \
    TESTS=" " "$bench/run-peers.sh" > "$OUT/setup.log" 2>&1 || true
fi
[ -f "$run_dir/sekisho-ca/ca.pem" ] || java -jar "$jar" ca init --out "$run_dir/sekisho-ca" > /dev/null
: > "$run_dir/sekisho-audit.jsonl"

# ---- processes: started under the harness's hosts file, stopped by PID (and their descendants)
declare -A pid=()
descendants() { ps -e -o pid=,ppid= | awk -v r="$1" '{p[$1]=$2} END {s[r]=1; do {c=0; for (k in p) if (!(k in s) && (p[k] in s)) {s[k]=1; c=1}} while (c); for (k in s) if (k != r) print k}'; }
stop() { # stop NAME: TERM, up to 10 s, then KILL it and any descendant left
  local p=${pid[$1]:-} kids i
  [ -n "$p" ] || return 0
  kids=$(descendants "$p")
  kill -TERM "$p" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
  unset "pid[$1]"
}
cleanup() { local n; for n in "${!pid[@]}"; do [ "$n" = origin ] || stop "$n"; done; stop origin; }
trap cleanup EXIT
trap 'exit 130' INT TERM
start() { # start NAME CMD...
  "$bench/with-hosts.sh" "$run_dir/etc/hosts" "$run_dir/etc/resolv.conf" "${@:2}" > "$OUT/$1.log" 2>&1 < /dev/null &
  pid[$1]=$!
}
wait_port() { # wait_port PORT NAME
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "${pid[$2]}" 2>/dev/null || { log "$2 exited; see $OUT/$2.log"; return 1; }
    sleep 0.2
  done
  log "$2: port $1 not up after 60 s"; return 1
}

declare -A port=([sekisho]=$SEKISHO_PORT [squid-bump]=$SQUID_BUMP_PORT [mitmproxy]=$MITM_PORT)
# the port named in CONNECT: Sekisho maps the origin name to 127.0.0.1:$ORIGIN_PORT itself
# (upstream.resolve); squid and mitmproxy resolve the name through the hosts file and use the port.
declare -A connect_port=([sekisho]=443 [squid-bump]=$ORIGIN_PORT [mitmproxy]=$ORIGIN_PORT)
declare -A ca=([sekisho]=$run_dir/sekisho-ca/ca.pem [squid-bump]=$run_dir/pki/squid-ca.pem
  [mitmproxy]=$run_dir/mitmproxy/mitmproxy-ca-cert.pem)
start_peer() {
  case $1 in
    sekisho)
      local conf=$run_dir/sekisho-conf/sekisho-h2.yaml
      sed -e "s#/tmp/bench-run#$run_dir#g" -e "s#127.0.0.1:3130#127.0.0.1:$SEKISHO_PORT#" \
          -e "s#127.0.0.1:443#127.0.0.1:$ORIGIN_PORT#" -e "s#127.0.0.1:9130#127.0.0.1:$SEKISHO_ADMIN_PORT#" \
          "$here/sekisho-intercept.yaml" > "$conf"
      # shellcheck disable=SC2086
      start sekisho java $sekisho_opts -jar "$jar" run --config "$conf" ;;
    squid-bump)
      rm -rf "$run_dir/squid-bump/ssl_db"
      /usr/lib/squid/security_file_certgen -c -s "$run_dir/squid-bump/ssl_db" -M 16MB > /dev/null
      chown -R proxy:proxy "$run_dir/squid-bump"
      start squid-bump squid -N -n benchh2bump -f "$run_dir/squid-bump/squid.conf" ;;
    mitmproxy)
      # By default (connection_strategy=eager, upstream_cert=true) mitmproxy does the origin's TLS
      # before the client's and mirrors the origin's ALPN; nginx here offers http/1.1 only, so the
      # client would get http/1.1. Lazy, and the leaf made from the SNI alone, let it speak h2 to
      # the client and HTTP/1.1 to the origin, as Sekisho does.
      start mitmproxy mitmdump -q --listen-host 127.0.0.1 --listen-port "$MITM_PORT" --set confdir="$run_dir/mitmproxy" \
        --set ssl_verify_upstream_trusted_ca="$run_dir/pki/origin-ca.pem" --set connection_strategy=lazy \
        --set upstream_cert=false \
        -s "$bench/mitm_allowlist.py" --set allowlist="$host,.$host" ;;
    *) log "unknown peer $1 (known: sekisho squid-bump mitmproxy)"; return 1 ;;
  esac
  wait_port "${port[$1]}" "$1"
}
sanity() { # sanity NAME PROTO: the allowed GET works with only the peer's CA; the blocked name is refused
  local v=$1 want=1.1 got b
  [ "$2" = h2 ] && want=2
  got=$(curl -sS -m 10 -x "http://127.0.0.1:${port[$v]}" --cacert "${ca[$v]}" "--http$want" -o /dev/null \
    -w '%{http_code}/%{size_download}/%{http_version}' "https://$host:${connect_port[$v]}/small" 2>&1) || true
  b=$(curl -s -m 10 -x "http://127.0.0.1:${port[$v]}" -k -o /dev/null -w '%{http_code}' \
    "https://$blocked:${connect_port[$v]}/small" 2>/dev/null) || true
  log "sanity $v ($2): $host/small=$got $blocked=$b"
  [ "$got" = "200/1024/$want" ] && [ "$b" != 200 ]
}

ulimit -n 20000 2>/dev/null || true
start origin nginx -e "$run_dir/nginx/error.log" -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf"
wait_port "$ORIGIN_PORT" origin
specs=()
for pp in $PEERS; do
  v=${pp%%:*} proto=${pp##*:}
  if [ -z "${pid[$v]:-}" ]; then start_peer "$v" || { log "$v: not started, left out"; continue; }; fi
  if sanity "$v" "$proto"; then
    specs+=("$v,$proto,${port[$v]},${connect_port[$v]},${ca[$v]},${pid[$v]}")
  else
    log "$v ($proto): sanity check failed, left out of the run"
  fi
done
[ ${#specs[@]} -gt 0 ] || { log "no peer passed its sanity check"; exit 1; }

tsv=$OUT/results.tsv
{ echo "date: $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)  $(nproc) cpus"
  echo "settings: PEERS=\"$PEERS\" REPS=$REPS DURATION=$DURATION WARMUP=$WARMUP PREWARM=$PREWARM C=$C M=$M CLIENT_THREADS=$CLIENT_THREADS REQ_PATH=$REQ_PATH BODY_SIZE=$BODY_SIZE"
  echo "sekisho: $(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet HEAD -- . 2>/dev/null || echo '+dirty') $sekisho_opts"
  echo "versions: nginx/$(nginx -v 2>&1 | cut -d/ -f2) squid/$(squid -v | head -1 | awk '{print $4}') mitmproxy/$(mitmdump --version 2>/dev/null | awk '/Mitmproxy/{print $2}') $(java -version 2>&1 | head -1 | tr -d '"')"
} | tee "$OUT/meta.txt" >&2
log "measuring: ${specs[*]}"
# shellcheck disable=SC2086
java $client_opts -Dconns="$C" -Dstreams="$M" -Dduration="$DURATION" -Dwarmup="$WARMUP" -Dprewarm="$PREWARM" \
  -Dreps="$REPS" -Dthreads="$CLIENT_THREADS" -Dhost="$host" -Dpath="$REQ_PATH" -Dsize="$BODY_SIZE" -DclkTck="$(getconf CLK_TCK)" \
  -cp "$top/proxy-core/target/test-classes:$top/proxy-core/target/classes:$(cat "$cpfile")" "$main_class" "${specs[@]}" \
  2> >(tee "$OUT/client.log" | grep -v -e ' DEBUG ' >&2) | tee "$tsv" || log "the load client failed: see $OUT/client.log"
echo "date end: $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"

# ---- summary: medians over reps per peer and protocol
median() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
{ cat "$OUT/meta.txt"; echo
  echo "| peer | protocol to the client | connections | requests in flight | req/s (median) | [min..max] | proxy CPU µs/req (median) | [min..max] | client CPU µs/req | machine busy % | errors (all reps) |"
  echo "|---|---|---:|---:|---:|---|---:|---|---:|---:|---:|"
  for key in $(awk -F'\t' 'NR > 1 {print $1 "|" $3}' "$tsv" | sort -u); do
    rows=$(awk -F'\t' -v k="$key" 'NR > 1 && $1 "|" $3 == k' "$tsv")
    rps=$(cut -f6 <<< "$rows" | sort -n); cpu=$(cut -f7 <<< "$rows" | grep -v '^-$' | sort -n || true)
    printf '| %s | %s | %s | %s | %s | [%s..%s] | %s | [%s..%s] | %s | %s | %s |\n' "${key%%|*}" "${key#*|}" \
      "$(cut -f9 <<< "$rows" | head -1)" "$(cut -f10 <<< "$rows" | head -1)" "$(median <<< "$rps")" \
      "$(head -1 <<< "$rps")" "$(tail -1 <<< "$rps")" "$(median <<< "$cpu")" "$(head -1 <<< "$cpu")" \
      "$(tail -1 <<< "$cpu")" "$(cut -f12 <<< "$rows" | grep -v "^-$" | median)" "$(cut -f13 <<< "$rows" | median)" \
      "$(cut -f5 <<< "$rows" | awk '{s += $1} END {print s + 0}')"
  done
  echo; echo "Per rep (results.tsv):"; echo; echo '```'; cat "$tsv"; echo '```'
} > "$OUT/summary.md"
cat "$OUT/summary.md"
log "results: $OUT (summary.md, results.tsv, meta.txt, client.log, per-process logs)"
