#!/usr/bin/env bash
# AWS-inspection overhead (issue 4, point 10): intercepted 1 KiB keep-alive requests/s through
# Sekisho with AWS account inspection on (bench/sekisho-intercept-aws.yaml, port 3131) and off
# (bench/sekisho-intercept.yaml, port 3130), in one run, alternating, against the harness's
# nginx origin, with the harness's load client (../shared/bench/LoadClient.java).
#
# Needs one earlier `bench/run.sh intercept` (or intercept-aws) run: it leaves in $RUN_DIR the
# origin's certificates and nginx.conf, the hosts file, the compiled client and Sekisho's CA.
# Each proxy first gets PREWARM seconds of unmeasured load (so the JIT has settled in both), then
# the reps alternate between them, the order swapped every rep.
# Usage: REPS=3 DURATION=8 WARMUP=2 CONC=64 PREWARM=10 RESTART=0 bench/aws-overhead.sh   (results in $OUT;
# PLAIN_PORT and AWS_PORT move the two proxies off 3130 and 3131)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bench=${BENCH_DIR:-$here/../../shared/bench}
run_dir=${RUN_DIR:-/tmp/bench-run}
REPS=${REPS:-3} DURATION=${DURATION:-8} WARMUP=${WARMUP:-2} CONC=${CONC:-64} PREWARM=${PREWARM:-10}
OUT=${OUT:-$run_dir/aws-overhead}
java_opts=${SEKISHO_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
jar=${SEKISHO_JAR:-$top/proxy-core/target/sekisho.jar}
host=s3.us-east-1.amazonaws.com
for f in "$run_dir/nginx/nginx.conf" "$run_dir/classes/LoadClient.class" "$run_dir/sekisho-ca/ca.pem" "$jar"; do
  [ -e "$f" ] || { echo "missing $f: run bench/run.sh intercept once first" >&2; exit 1; }
done
mkdir -p "$OUT" "$run_dir/sekisho-conf"
declare -A pid=()
cleanup() { for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

start() { # start NAME CMD... under the harness's hosts file
  "$bench/with-hosts.sh" "$run_dir/etc/hosts" "$run_dir/etc/resolv.conf" "${@:2}" > "$OUT/$1.log" 2>&1 < /dev/null &
  pid[$1]=$!
}
wait_port() { for _ in $(seq 1 100); do ss -ltnH "sport = :$1" | grep -q . && return 0; sleep 0.2; done; echo "port $1 not up" >&2; exit 1; }

start origin nginx -e "$run_dir/nginx/error.log" -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf"
wait_port 443
# ON_VARIANT: the configuration measured against bench/sekisho-intercept.yaml (bench/auth-overhead.sh
# sets intercept-basic). PROXY_AUTH=user:password: every CONNECT of both proxies carries it, through
# a copy of the harness's client that adds a Proxy-Authorization header (the same bytes to both).
declare -A port=([plain]=${PLAIN_PORT:-3130} [aws]=${AWS_PORT:-3131}) yaml=([plain]=intercept [aws]=${ON_VARIANT:-intercept-aws})
ON_LABEL=${ON_LABEL:-inspection}
classes=$run_dir/classes
if [ -n "${PROXY_AUTH:-}" ]; then
  classes=$run_dir/classes-proxy-auth
  mkdir -p "$classes/src"
  # The client's CONNECT head ends in "\r\n\r\n"; add one header line from a system property.
  sed 's#+ port + "\\r\\n\\r\\n")#+ port + "\\r\\n" + System.getProperty("bench.proxyAuthorization", "") + "\\r\\n")#' \
    "$bench/LoadClient.java" > "$classes/src/LoadClient.java"
  grep -q 'bench.proxyAuthorization' "$classes/src/LoadClient.java" || { echo "could not patch LoadClient.java" >&2; exit 1; }
  javac -d "$classes" "$classes/src/LoadClient.java"
fi
auth_header=""
[ -n "${PROXY_AUTH:-}" ] && auth_header="Proxy-Authorization: Basic $(printf %s "$PROXY_AUTH" | base64 -w0)"$'\r\n'
load() { # load VARIANT OUTFILE DURATION WARMUP
  java -XX:+UseSerialGC -Xss256k -Xms256m -Xmx1g "-Dbench.proxyAuthorization=$auth_header" -cp "$classes" LoadClient \
    --host "$host" --port 443 --connect-to 127.0.0.1 --proxy "127.0.0.1:${port[$1]}" \
    --ca "$run_dir/sekisho-ca/ca.pem" --mode keepalive --concurrency "$CONC" --path /small \
    --duration "$3" --warmup "$4" --watch-pids "${pid[$1]}" --clk-tck "$(getconf CLK_TCK)" > "$2" 2>&1
}
start_proxies() { # start both proxies (again) and give each PREWARM seconds of unmeasured load
  for v in plain aws; do
    if [ -n "${pid[$v]:-}" ]; then kill "${pid[$v]}"; wait "${pid[$v]}" 2>/dev/null || true; fi
    conf=$run_dir/sekisho-conf/overhead-$v.yaml
    sed -e "s#/tmp/bench-run#$run_dir#g" -e "s#127.0.0.1:3130#127.0.0.1:${port[$v]}#" \
        -e "s#sekisho-audit.jsonl#sekisho-audit-$v.jsonl#" "$here/sekisho-${yaml[$v]}.yaml" > "$conf"
    # shellcheck disable=SC2086
    start "$v" java $java_opts -jar "$jar" run --config "$conf"
    wait_port "${port[$v]}"
  done
  for v in plain aws; do load "$v" "$OUT/prewarm_$v.out" "$PREWARM" 1; done
}
# RESTART=1: fresh JVMs for every rep. How well the JIT compiles a long-running proxy varies
# from JVM to JVM by more than the effect measured here, so one pair of JVMs for all reps can
# show a steady difference in either direction that has nothing to do with the inspection.
RESTART=${RESTART:-0}
start_proxies

tsv=$OUT/results.tsv
: > "$tsv"
echo "date: $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)  REPS=$REPS DURATION=$DURATION WARMUP=$WARMUP CONC=$CONC" | tee "$OUT/meta.txt"
echo "java_opts: $java_opts  PREWARM=$PREWARM  RESTART=$RESTART" >> "$OUT/meta.txt"
for rep in $(seq 1 "$REPS"); do
  if [ "$RESTART" = 1 ] && [ "$rep" -gt 1 ]; then start_proxies; fi
  order="plain aws"; [ $((rep % 2)) -eq 0 ] && order="aws plain"
  for v in $order; do
    load "$v" "$OUT/r${rep}_$v.out" "$DURATION" "$WARMUP"
    line=$(grep '^RESULT ' "$OUT/r${rep}_$v.out" | tail -1)
    [ -n "$line" ] || { echo "no RESULT for $v rep $rep (see $OUT/r${rep}_$v.out)" >&2; exit 1; }
    rps=$(tr ' ' '\n' <<< "$line" | sed -n 's/^rps=//p')
    cpu=$(tr ' ' '\n' <<< "$line" | sed -n 's/^proxy_cpu_us_per_req=//p')
    printf '%s\t%s\t%s\t%s\n' "$rep" "$v" "$rps" "$cpu" | tee -a "$tsv"
  done
done
# Per rep: aws/plain req/s; then medians.
awk -F'\t' '
  { rps[$1,$2]=$3; cpu[$1,$2]=$4; if ($1>n) n=$1 }
  function med(a, k,   i, j, t, m) { m=k; for(i=1;i<=m;i++) for(j=i+1;j<=m;j++) if(a[j]<a[i]){t=a[i];a[i]=a[j];a[j]=t}
                                      return (m%2) ? a[(m+1)/2] : (a[m/2]+a[m/2+1])/2 }
  END {
    printf "| rep | %s off: req/s | CPU µs/req | %s on: req/s | CPU µs/req | on/off req/s | on/off CPU µs/req |\n", label, label
    print "|---|---:|---:|---:|---:|---:|---:|"
    for (r=1;r<=n;r++) { x=rps[r,"aws"]/rps[r,"plain"]; ra[r]=x; po[r]=rps[r,"plain"]; pa[r]=rps[r,"aws"]; co[r]=cpu[r,"plain"]; ca[r]=cpu[r,"aws"]
      y=cpu[r,"aws"]/cpu[r,"plain"]; rc[r]=y
      printf "| %d | %.0f | %.1f | %.0f | %.1f | %.3f | %.3f |\n", r, rps[r,"plain"], cpu[r,"plain"], rps[r,"aws"], cpu[r,"aws"], x, y }
    printf "| median | %.0f | %.1f | %.0f | %.1f | %.3f | %.3f |\n", med(po,n), med(co,n), med(pa,n), med(ca,n), med(ra,n), med(rc,n)
  }' label="$ON_LABEL" "$tsv" | tee "$OUT/summary.md"
