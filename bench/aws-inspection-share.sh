#!/usr/bin/env bash
# Which share of the intercepting proxy's Java execution is AWS account inspection (issue 4,
# point 10), measured in one JVM instead of by comparing two: Sekisho with
# bench/sekisho-intercept-aws.yaml on :3151 gets PREWARM seconds of the overhead bench's load
# (LoadClient, keepalive, c=64, 1 KiB unsigned S3 GETs), then DURATION seconds under a JFR
# recording that samples Java stacks every millisecond. The share is the fraction of Java
# execution samples with a frame in io.sekisho.policy.aws (inclusive). Threads in native code
# (BoringSSL, syscalls) are not Java samples, so the share of all proxy CPU is at most this.
#
# Needs one earlier `bench/run.sh intercept` run (as bench/aws-overhead.sh does).
# Usage: PREWARM=30 DURATION=30 bench/aws-inspection-share.sh   (results in $OUT)
# VARIANT=intercept measures the same with inspection off (bench/sekisho-intercept.yaml: the
# host is still classified and the evidence recorded, but no account is judged).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bench=${BENCH_DIR:-$here/../../shared/bench}
run_dir=${RUN_DIR:-/tmp/bench-run}
PREWARM=${PREWARM:-30} DURATION=${DURATION:-30} PORT=${PORT:-3151} VARIANT=${VARIANT:-intercept-aws}
OUT=${OUT:-$run_dir/aws-inspection-share}
java_opts=${SEKISHO_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
jar=$top/proxy-core/target/sekisho.jar
for f in "$run_dir/nginx/nginx.conf" "$run_dir/classes/LoadClient.class" "$run_dir/sekisho-ca/ca.pem" "$jar"; do
  [ -e "$f" ] || { echo "missing $f: run bench/run.sh intercept once first" >&2; exit 1; }
done
mkdir -p "$OUT" "$run_dir/sekisho-conf"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# JFR's "profile" settings with Java stacks sampled every 1 ms instead of every 10-20 ms.
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
sed '/<event name="jdk.ExecutionSample">/,/<\/event>/s#<setting name="period"\([^>]*\)>[^<]*<#<setting name="period"\1>1 ms<#' \
    "$java_home/lib/jfr/profile.jfc" > "$OUT/sampling.jfc"

"$bench/with-hosts.sh" "$run_dir/etc/hosts" "$run_dir/etc/resolv.conf" \
    nginx -e "$run_dir/nginx/error.log" -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf" > "$OUT/origin.log" 2>&1 &
pids+=($!)
conf=$run_dir/sekisho-conf/share-$VARIANT.yaml
sed -e "s#/tmp/bench-run#$run_dir#g" -e "s#127.0.0.1:3130#127.0.0.1:$PORT#" \
    -e "s#sekisho-audit.jsonl#sekisho-audit-share.jsonl#" "$here/sekisho-$VARIANT.yaml" > "$conf"
# shellcheck disable=SC2086
"$bench/with-hosts.sh" "$run_dir/etc/hosts" "$run_dir/etc/resolv.conf" \
    java $java_opts -jar "$jar" run --config "$conf" > "$OUT/proxy.log" 2>&1 &
proxy=$!
pids+=("$proxy")
for _ in $(seq 1 100); do ss -ltnH "sport = :$PORT" | grep -q . && break; sleep 0.2; done

load() { # load SECONDS OUTFILE
  java -XX:+UseSerialGC -Xss256k -Xms256m -Xmx1g -cp "$run_dir/classes" LoadClient \
    --host s3.us-east-1.amazonaws.com --port 443 --connect-to 127.0.0.1 --proxy "127.0.0.1:$PORT" \
    --ca "$run_dir/sekisho-ca/ca.pem" --mode keepalive --concurrency 64 --path /small \
    --duration "$1" --warmup 1 --watch-pids "$proxy" --clk-tck "$(getconf CLK_TCK)" > "$2" 2>&1
}
load "$PREWARM" "$OUT/prewarm.out"
jcmd "$proxy" JFR.start name=share settings="$OUT/sampling.jfc" filename="$OUT/inspection.jfr" > /dev/null
load "$DURATION" "$OUT/measured.out"
jcmd "$proxy" JFR.stop name=share > /dev/null
echo "date: $(date -u +%FT%TZ)  VARIANT=$VARIANT PREWARM=$PREWARM DURATION=$DURATION  java_opts: $java_opts" > "$OUT/meta.txt"
grep '^RESULT ' "$OUT/measured.out" | tee -a "$OUT/meta.txt"

jfr print --events jdk.ExecutionSample --stack-depth 64 "$OUT/inspection.jfr" | python3 -c '
import math, re, sys
samples = aws = policy = 0
for event in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    if not frames:
        continue
    samples += 1
    aws += any(f.startswith("io.sekisho.policy.aws.") for f in frames)
    policy += any(f.startswith("io.sekisho.policy.") for f in frames)
p = aws / samples
print(f"Java execution samples: {samples}")
print(f"with a frame in io.sekisho.policy.aws: {aws} = {100 * p:.2f} % (95 % interval +-{196 * math.sqrt(p * (1 - p) / samples):.2f})")
print(f"with a frame in io.sekisho.policy (domain rules, catalog, sign-in, AWS): {100 * policy / samples:.2f} %")
' | tee "$OUT/summary.txt"
