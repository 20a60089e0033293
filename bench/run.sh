#!/usr/bin/env bash
# Runs ../shared/bench/run-peers.sh with Sekisho as the proxy under test, beside Squid,
# mitmproxy and tinyproxy, in one run. Usage:
#   bench/run.sh tunnel      # Sekisho as a CONNECT tunnel (issue: foundation)
#   bench/run.sh intercept       # Sekisho intercepting TLS with its own CA (issue: TLS interception)
#   bench/run.sh intercept-aws   # the same plus AWS account inspection (issue: AWS policy)
#   bench/run.sh tunnel-dns  # the tunnel with the origin found by the system resolver, no override
#   bench/run.sh idle10k     # the tunnel with its connection caps raised, for IDLE_CONNS=10000
# The YAML used is bench/sekisho-<variant>.yaml, copied to $RUN_DIR with /tmp/bench-run
# replaced by $RUN_DIR (a YAML cannot read the harness's BENCH_ORIGIN_CA variable);
# SEKISHO_YAML names another file (an older jar may not know every key of today's).
# Extra harness knobs pass through the environment (REPS, DURATION, TESTS, PEERS, PIN…).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
harness=${BENCH_HARNESS:-$top/../shared/bench/run-peers.sh}
variant=${1:-tunnel}
jar=${SEKISHO_JAR:-$top/proxy-core/target/sekisho.jar}
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package)
java_opts=${SEKISHO_JAVA_OPTS:-"-Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
run_dir=${RUN_DIR:-/tmp/bench-run}
mkdir -p "$run_dir"
case "$variant" in
  tunnel|tunnel-dns|idle10k) ;;
  intercept|intercept-aws)
    ca_dir=$run_dir/sekisho-ca
    [ -f "$ca_dir/ca.pem" ] || java -jar "$jar" ca init --out "$ca_dir" >/dev/null
    export CA_PEM=$ca_dir/ca.pem
    ;;
  *) echo "usage: $0 tunnel|tunnel-dns|intercept|intercept-aws|idle10k" >&2; exit 2 ;;
esac
# A directory of its own: Sekisho watches its config file's directory for changes, and
# $run_dir itself sees constant writes (the audit log, the harness's scratch files).
mkdir -p "$run_dir/sekisho-conf"
conf=$run_dir/sekisho-conf/sekisho-$variant.yaml
sed "s#/tmp/bench-run#$run_dir#g" "${SEKISHO_YAML:-$here/sekisho-$variant.yaml}" > "$conf"
export PUT_NAME=${PUT_NAME:-sekisho-$variant}
# SEKISHO_NOFILE raises the proxy's open-file limit above the harness's 20000 (10 000 tunnels
# take two descriptors each); prlimit execs java, so the PID stays the same.
limit=${SEKISHO_NOFILE:+prlimit --nofile=$SEKISHO_NOFILE:$SEKISHO_NOFILE }
export PUT_START_CMD="${limit}java $java_opts -jar $jar run --config $conf"
export PROXY_UNDER_TEST=127.0.0.1:3130
exec "$harness"
