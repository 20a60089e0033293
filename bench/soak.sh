#!/usr/bin/env bash
# Soak test (issue 18 point 8): Sekisho from the built jar under mixed traffic for DURATION
# seconds, on loopback only, with Netty leak detection at "advanced". Every INTERVAL seconds one
# line: elapsed time, RSS, open fds, threads, heap in use after a full GC, operations done and
# failed since the previous line, and the number of Netty "LEAK:" reports in the proxy's log.
#
#   DURATION=1800 bench/soak.sh            # the 30-minute run (docs/performance.md, "Soak")
#   DURATION=150 bench/soak.sh             # a quick check
#
# Traffic (bench/soak_load.py, RATE operations/s, each on a new client connection): plain
# CONNECT tunnels, intercepted SigV4-signed S3 GETs and STS POST forms with the company's key
# (allowed) and a foreign account's key (denied), absolute-form http:// GETs, denied domains by
# CONNECT and by http://, and intercepted downloads the client resets half-way.
# The origin is nginx (as in ../shared/bench/run-peers.sh) on ORIGIN_TLS_PORT / ORIGIN_HTTP_PORT
# with its own CA made here; Sekisho's CA comes from `sekisho ca init`; names are routed with
# upstream.resolve (bench/sekisho-soak.yaml). Everything is written under RUN_DIR.
#
# Knobs: DURATION (s, default 1800), RATE (ops/s, 50), INTERVAL (s, 30), CONCURRENCY (most
# operations open at once, 32), PORT (3140), ORIGIN_TLS_PORT (18443), ORIGIN_HTTP_PORT (18080),
# RUN_DIR (/tmp/sekisho-soak), SEKISHO_JAR, SEKISHO_JAVA_OPTS, GC_BEFORE_SAMPLE (1: heap is
# measured after `jcmd GC.run`, which also lets Netty's detector see leaked buffers), and
# MAX_FAILED_PCT (1).
# Exit status: 0 clean; 1 a leak was reported or the proxy died; 2 more than MAX_FAILED_PCT % of
# the operations failed. It stops everything it started, by PID, also on Ctrl-C.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
DURATION=${DURATION:-1800} RATE=${RATE:-50} INTERVAL=${INTERVAL:-30} CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-3140} ORIGIN_TLS_PORT=${ORIGIN_TLS_PORT:-18443} ORIGIN_HTTP_PORT=${ORIGIN_HTTP_PORT:-18080}
RUN_DIR=${RUN_DIR:-/tmp/sekisho-soak} GC_BEFORE_SAMPLE=${GC_BEFORE_SAMPLE:-1} MAX_FAILED_PCT=${MAX_FAILED_PCT:-1}
java_opts=${SEKISHO_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=advanced"}
jar=${SEKISHO_JAR:-$top/proxy-core/target/sekisho.jar}
harness=${BENCH_DIR:-$top/../shared/bench}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for c in java jcmd jstat nginx openssl python3 curl; do
  command -v "$c" > /dev/null || { log "missing $c (nginx: ../shared/bench/install-deps.sh)"; exit 3; }
done
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package)

declare -A pid=()
cleanup() {
  local n
  for n in load proxy origin; do
    [ -n "${pid[$n]:-}" ] || continue
    kill "${pid[$n]}" 2> /dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pid[$n]}" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "${pid[$n]}" 2> /dev/null || true
    wait "${pid[$n]}" 2> /dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() { # wait_port PORT PID
  for _ in $(seq 1 300); do
    (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0
    kill -0 "$2" 2> /dev/null || return 1
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- setup
mkdir -p "$RUN_DIR"/{pki,ca,conf,etc,www/soak-bucket,nginx/tmp}
pki=$RUN_DIR/pki
if [ ! -s "$pki/origin.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 30 \
    -subj "/O=sekisho soak/CN=soak origin CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$pki/origin-ca.key" -out "$pki/origin-ca.pem" 2> /dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    "DNS:s3.us-east-1.amazonaws.com,DNS:*.s3.us-east-1.amazonaws.com,DNS:sts.us-east-1.amazonaws.com,DNS:tunnel.soak.example.com,DNS:plain.soak.example.com" \
    > "$pki/origin.ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=soak origin" \
    -keyout "$pki/origin.key" -out "$pki/origin.csr" 2> /dev/null
  openssl x509 -req -sha256 -days 30 -in "$pki/origin.csr" -CA "$pki/origin-ca.pem" -CAkey "$pki/origin-ca.key" \
    -CAcreateserial -extfile "$pki/origin.ext" -out "$pki/origin.pem" 2> /dev/null
fi
[ -s "$RUN_DIR/ca/ca.pem" ] || java -jar "$jar" ca init --out "$RUN_DIR/ca" > /dev/null
[ -s "$RUN_DIR/www/small" ] || head -c 1024 /dev/urandom > "$RUN_DIR/www/small"
cp "$RUN_DIR/www/small" "$RUN_DIR/www/soak-bucket/small"
[ -s "$RUN_DIR/www/soak-bucket/large" ] || head -c 1048576 /dev/urandom > "$RUN_DIR/www/soak-bucket/large"
# nginx's workers run as nobody.
chmod 755 "$RUN_DIR" "$RUN_DIR"/{pki,www,www/soak-bucket}; chmod 644 "$pki"/*.pem "$pki/origin.key" "$RUN_DIR"/www/small "$RUN_DIR"/www/soak-bucket/*
cat > "$RUN_DIR/nginx/nginx.conf" << EOF
worker_processes 1;
pid $RUN_DIR/nginx/nginx.pid;
daemon off;
error_log $RUN_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/octet-stream;
  keepalive_timeout 60s;
  client_body_temp_path $RUN_DIR/nginx/tmp/body; proxy_temp_path $RUN_DIR/nginx/tmp/proxy;
  fastcgi_temp_path $RUN_DIR/nginx/tmp/fcgi; uwsgi_temp_path $RUN_DIR/nginx/tmp/uwsgi; scgi_temp_path $RUN_DIR/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$ORIGIN_TLS_PORT ssl;
    listen 127.0.0.1:$ORIGIN_HTTP_PORT;
    ssl_certificate $pki/origin.pem;
    ssl_certificate_key $pki/origin.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $RUN_DIR/www;
    location = / { return 200 "<GetCallerIdentityResponse/>\n"; }
    location / { }
  }
}
EOF
# Sekisho watches its config file's directory: keep it apart from the audit log.
conf=$RUN_DIR/conf/sekisho-soak.yaml
sed -e "s#/tmp/sekisho-soak#$RUN_DIR#g" -e "s#127.0.0.1:3140#127.0.0.1:$PORT#" \
    -e "s#127.0.0.1:18443#127.0.0.1:$ORIGIN_TLS_PORT#" -e "s#127.0.0.1:18080#127.0.0.1:$ORIGIN_HTTP_PORT#" \
    "$here/sekisho-soak.yaml" > "$conf"
java -jar "$jar" check --config "$conf" > "$RUN_DIR/check.out" 2>&1 || { cat "$RUN_DIR/check.out" >&2; exit 3; }
# A stray DNS lookup must not leave loopback: the proxy runs with its own hosts file and a
# resolv.conf naming 127.0.0.1 (the harness's with-hosts.sh; needs root, else it runs as is).
printf '127.0.0.1 localhost\n' > "$RUN_DIR/etc/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$RUN_DIR/etc/resolv.conf"
wrap=()
[ "$(id -u)" = 0 ] && wrap=("$harness/with-hosts.sh" "$RUN_DIR/etc/hosts" "$RUN_DIR/etc/resolv.conf")
rm -f "$RUN_DIR/audit.jsonl" "$RUN_DIR/proxy.log" "$RUN_DIR/counters"

# ---------------------------------------------------------------- start
nginx -e "$RUN_DIR/nginx/error.log" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" > "$RUN_DIR/origin.log" 2>&1 < /dev/null &
pid[origin]=$!
wait_port "$ORIGIN_TLS_PORT" "${pid[origin]}" || { log "nginx did not start"; cat "$RUN_DIR/nginx/error.log" >&2; exit 3; }
# shellcheck disable=SC2086
"${wrap[@]}" java $java_opts -jar "$jar" run --config "$conf" > "$RUN_DIR/proxy.log" 2>&1 < /dev/null &
pid[proxy]=$!
proxy=${pid[proxy]}
wait_port "$PORT" "$proxy" || { log "the proxy did not start"; tail -20 "$RUN_DIR/proxy.log" >&2; exit 1; }
python3 "$here/soak_load.py" --proxy "127.0.0.1:$PORT" --proxy-ca "$RUN_DIR/ca/ca.pem" \
  --origin-ca "$pki/origin-ca.pem" --rate "$RATE" --duration "$DURATION" --concurrency "$CONCURRENCY" \
  --counters "$RUN_DIR/counters" > "$RUN_DIR/load.log" 2>&1 < /dev/null &
pid[load]=$!
log "soak: DURATION=${DURATION}s RATE=$RATE/s on 127.0.0.1:$PORT, proxy PID $proxy, JVM: $java_opts; files in $RUN_DIR"
log "commit $(git -C "$top" describe --always --dirty 2> /dev/null || echo '?'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- sample
counter() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$RUN_DIR/counters" 2> /dev/null | head -1; }
prev_ok=0 prev_failed=0
tsv=$RUN_DIR/soak.tsv
printf 'elapsed_s\trss_mib\tfds\tthreads\theap_mib\tops_ok\tops_failed\tleaks\n' > "$tsv"
printf '%8s %8s %6s %8s %9s %8s %7s %5s\n' elapsed RSS_MiB fds threads heap_MiB ops_ok failed LEAK
sample() { # sample ELAPSED : one line; returns 1 when the proxy is gone
  local st rss threads fds heap ok failed leaks
  st=$(cat "/proc/$proxy/status" 2> /dev/null) || return 1
  rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' <<< "$st")
  threads=$(awk '/^Threads/ {print $2}' <<< "$st")
  fds=$(ls "/proc/$proxy/fd" 2> /dev/null | wc -l)
  [ "$GC_BEFORE_SAMPLE" = 1 ] && jcmd "$proxy" GC.run > /dev/null 2>&1
  heap=$(jstat -gc "$proxy" 2> /dev/null | awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i}
         NR == 2 {printf "%.1f", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024}')
  ok=$(counter ok); ok=${ok:-0}; failed=$(counter failed); failed=${failed:-0}
  leaks=$(grep -c 'LEAK:' "$RUN_DIR/proxy.log" || true)
  printf '%8s %8s %6s %8s %9s %8s %7s %5s\n' "$1" "$rss" "$fds" "$threads" "${heap:-?}" \
    $((ok - prev_ok)) $((failed - prev_failed)) "$leaks"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$rss" "$fds" "$threads" "${heap:-}" \
    $((ok - prev_ok)) $((failed - prev_failed)) "$leaks" >> "$tsv"
  prev_ok=$ok prev_failed=$failed
  kill -0 "$proxy" 2> /dev/null
}

start=$(date +%s) died=0 next=$INTERVAL
hard_end=$((DURATION + 90)) # the load stops starting operations at DURATION; each has socket timeouts
while kill -0 "${pid[load]}" 2> /dev/null; do
  sleep 1
  now=$(($(date +%s) - start))
  if ! kill -0 "$proxy" 2> /dev/null; then died=1; break; fi
  if [ "$now" -ge "$next" ]; then sample "$now" || { died=1; break; }; next=$((next + INTERVAL)); fi
  if [ "$now" -ge "$hard_end" ]; then log "the load driver is still running after ${hard_end}s: stopping it"; break; fi
done
[ "$died" = 1 ] && { kill "${pid[load]}" 2> /dev/null || true; }
wait "${pid[load]}" 2> /dev/null || true
unset 'pid[load]'

# Netty reports a leaked buffer only after it was collected and another tracked buffer was
# allocated: collect, drive a few more requests through, and collect once more.
if [ "$died" = 0 ]; then
  for _ in 1 2; do
    jcmd "$proxy" GC.run > /dev/null 2>&1 || true
    for _ in $(seq 1 20); do
      curl -s -o /dev/null -m 5 -x "http://127.0.0.1:$PORT" "http://plain.soak.example.com/small" || true
    done
    sleep 1
  done
  sample "$(($(date +%s) - start))" || died=1
fi

# ---------------------------------------------------------------- verdict
leaks=$(grep -c 'LEAK:' "$RUN_DIR/proxy.log" || true)
ok=$(counter ok); ok=${ok:-0}; failed=$(counter failed); failed=${failed:-0}
echo
sed -n '/ ok=/p' "$RUN_DIR/load.log" | sed 's/^/  /'
awk -F'\t' 'NR == 2 {f = $0} NR > 1 {l = $0} END {split(f, a); split(l, b);
  printf "first → last sample: RSS %s → %s MiB, fds %s → %s, threads %s → %s, heap %s → %s MiB\n", a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5]}' "$tsv"
echo "operations: $ok ok, $failed failed; Netty LEAK reports: $leaks; audit lines: $(wc -l < "$RUN_DIR/audit.jsonl" 2> /dev/null || echo 0)"
grep -m3 'FAILED' "$RUN_DIR/load.log" | sed 's/^/  first failures: /' || true
if [ "$died" = 1 ]; then
  log "FAIL: the proxy died; last lines of $RUN_DIR/proxy.log:"; tail -20 "$RUN_DIR/proxy.log" >&2; exit 1
fi
if [ "$leaks" -gt 0 ]; then
  log "FAIL: $leaks Netty leak report(s) in $RUN_DIR/proxy.log"; grep -m1 -A12 'LEAK:' "$RUN_DIR/proxy.log" >&2; exit 1
fi
if [ $((failed * 100)) -gt $(((ok + failed) * MAX_FAILED_PCT)) ]; then
  log "FAIL: $failed of $((ok + failed)) operations failed (over $MAX_FAILED_PCT %); see $RUN_DIR/load.log"; exit 2
fi
log "PASS"
