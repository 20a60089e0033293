#!/usr/bin/env bash
# Two Sekisho jars, A and B, in two warm JVMs that run at the same time, measured in pairs of
# short keep-alive windows (the harness's ka_c64: its LoadClient, 64 connections, 1 KiB GETs).
# On a shared host one jar's cost can move by a factor of two within minutes, so whole harness
# runs minutes apart (bench/ab.sh) cannot resolve a few per cent. Here both windows of a pair
# run at once (TOGETHER=1, the default), each proxy with its own client, so a slow spell of the
# host hits both, and B ÷ A of the proxy's CPU µs per request is taken per pair. With
# TOGETHER=0 the two windows run one after the other, in alternating order. Warm JVMs only
# (WARM seconds of load first, both at once with TOGETHER=1); bench/ab.sh measures fresh ones.
# Run it with A_JAR = B_JAR first to see the spread of the method on the day
# (docs/performance.md, "Two warm JVMs at once").
#
# It reuses what a harness run left in RUN_DIR (certificates, the nginx origin's config, the
# compiled load client), so run `bench/run.sh intercept` once before. Usage:
#   A_JAR=before.jar B_JAR=proxy-core/target/sekisho.jar bench/ab_interleaved.sh
# Knobs: PAIRS (24), DURATION (measured seconds per window, 4), WARMUP (unmeasured seconds
# before each window, 1), WARM (60), CONC (64), TOGETHER (1), A_NAME/B_NAME,
# A_YAML/B_YAML (default bench/sekisho-intercept.yaml; listen, admin and audit are rewritten
# per side: A on 3130, B on 3131), JAVA_OPTS_PUT (both proxies' JVM options; default
# bench/run.sh's), A_JAVA_OPTS/B_JAVA_OPTS (one side's), PIN (0; 1 pins the proxies to CPU 1,
# the origin and the clients to CPU 0), OUT (results directory). Writes windows.tsv and prints
# bench/ab_interleaved.py's summary: per pair B ÷ A, then the median, quartiles and how many
# pairs each side was the cheaper in.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run_dir=${RUN_DIR:-/tmp/bench-run}
: "${A_JAR:?A_JAR=the first jar}" "${B_JAR:?B_JAR=the second jar}"
A_NAME=${A_NAME:-a} B_NAME=${B_NAME:-b}
[ "$A_NAME" != "$B_NAME" ] || { echo "A_NAME and B_NAME must differ" >&2; exit 2; }
pairs=${PAIRS:-24} duration=${DURATION:-4} warmup=${WARMUP:-1} warm=${WARM:-60} conc=${CONC:-64}
java_opts=${JAVA_OPTS_PUT:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
# PIN=1: the origin and the client on CPU 0, the two proxies on CPU 1 (as the harness's PIN=1).
pin_client='' pin_proxy=''
[ "${PIN:-0}" = 1 ] && pin_client='taskset -c 0' pin_proxy='taskset -c 1'
out=${OUT:-/tmp/bench-ab/$(date -u +%Y%m%dT%H%MZ)-interleaved}
origin_host=s3.us-east-1.amazonaws.com
for f in "$run_dir/nginx/nginx.conf" "$run_dir/classes/LoadClient.class" "$run_dir/sekisho-ca/ca.pem"; do
  [ -e "$f" ] || { echo "missing $f: run bench/run.sh intercept once first" >&2; exit 2; }
done
mkdir -p "$out/conf"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 100); do (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0; sleep 0.2; done; return 1; }

# The origin (the harness config says daemon off), unless a harness run still has it up.
if ! (exec 3<> /dev/tcp/127.0.0.1/443) 2> /dev/null; then
  $pin_client nginx -e "$out/nginx-error.log" -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf" \
    > "$out/nginx.log" 2>&1 &
  pids+=($!)
  wait_port 443 || { echo "nginx did not start: $out/nginx-error.log" >&2; exit 1; }
fi

start() { # name jar yaml port adminport java-opts -> prints the JVM's pid
  local conf=$out/conf/$1.yaml
  sed -e "s#/tmp/bench-run#$run_dir#g" -e "s#^listen: .*#listen: \"127.0.0.1:$4\"#" \
    -e "s#^  listen: \"127.0.0.1:9130\".*#  listen: \"127.0.0.1:$5\"#" \
    -e "s#^  file: .*sekisho-audit.jsonl#  file: $out/audit-$1.jsonl#" "$3" > "$conf"
  # shellcheck disable=SC2086
  $pin_proxy java $6 -jar "$2" run --config "$conf" > "$out/$1.log" 2>&1 &
  echo $!
}
a_pid=$(start "$A_NAME" "$A_JAR" "${A_YAML:-$here/sekisho-intercept.yaml}" 3130 9130 "${A_JAVA_OPTS:-$java_opts}"); pids+=("$a_pid")
b_pid=$(start "$B_NAME" "$B_JAR" "${B_YAML:-$here/sekisho-intercept.yaml}" 3131 9131 "${B_JAVA_OPTS:-$java_opts}"); pids+=("$b_pid")
wait_port 3130 && wait_port 3131 || { echo "a proxy did not start: $out/*.log" >&2; exit 1; }

load() { # name port pid seconds warmup : one keep-alive window of the load client, to $out/last-NAME.out
  $pin_client java -XX:+UseSerialGC -Xss256k -Xms256m -Xmx1g -cp "$run_dir/classes" LoadClient \
    --host "$origin_host" --port 443 --connect-to 127.0.0.1 --proxy "127.0.0.1:$2" \
    --ca "$run_dir/sekisho-ca/ca.pem" --mode keepalive --concurrency "$conc" --path /small \
    --duration "$4" --warmup "$5" --watch-pids "$3" --clk-tck "$(getconf CLK_TCK)" > "$out/last-$1.out" 2>&1
}
result() { # pair name : appends the window's req/s and proxy CPU µs per request to windows.tsv
  local line
  line=$(grep '^RESULT ' "$out/last-$2.out" | tail -1)
  [ -n "$line" ] || { echo "no RESULT from $2: $out/last-$2.out" >&2; exit 1; }
  grep -q ' errors=0' <<< "$line" || { echo "errors in a window of $2: $line" >&2; exit 1; }
  awk -v p="$1" -v n="$2" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s\t%s\t%s\t%s\n", p, n, v["rps"], v["proxy_cpu_us_per_req"] }' <<< "$line" >> "$out/windows.tsv"
}
a=("$A_NAME" 3130 "$a_pid") b=("$B_NAME" 3131 "$b_pid")
if [ "${TOGETHER:-1}" = 1 ]; then
  load "${a[@]}" "$warm" 2 & la=$!; load "${b[@]}" "$warm" 2 & lb=$!; wait "$la" "$lb"
else
  load "${a[@]}" "$warm" 2; load "${b[@]}" "$warm" 2
fi

printf 'pair\trun\trps\tproxy_cpu_us_per_req\n' > "$out/windows.tsv"
for p in $(seq 1 "$pairs"); do
  if [ "${TOGETHER:-1}" = 1 ]; then
    load "${a[@]}" "$duration" "$warmup" & la=$!
    load "${b[@]}" "$duration" "$warmup" & lb=$!
    wait "$la" "$lb"
  elif [ $((p % 2)) = 1 ]; then
    load "${a[@]}" "$duration" "$warmup"; load "${b[@]}" "$duration" "$warmup"
  else
    load "${b[@]}" "$duration" "$warmup"; load "${a[@]}" "$duration" "$warmup"
  fi
  result "$p" "$A_NAME"; result "$p" "$B_NAME"
  for f in "$out"/audit-*.jsonl; do : > "$f"; done  # the audit lines are not needed, and they only grow
done
python3 "$here/ab_interleaved.py" "$out/windows.tsv" "$A_NAME" "$B_NAME" | tee "$out/summary.txt"
echo "results: $out" >&2
