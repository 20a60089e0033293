#!/usr/bin/env bash
# Basic-authentication overhead (issue 11, point 8): intercepted 1 KiB keep-alive requests/s and
# proxy CPU µs per request through Sekisho with Basic authentication on
# (bench/sekisho-intercept-basic.yaml, port 3131) and off (bench/sekisho-intercept.yaml, port
# 3130), in one run, alternating, with the harness's load client. Both proxies get the same
# CONNECT bytes, Proxy-Authorization included (ignored where auth is off). The credential is
# verified (bcrypt) at the first CONNECT and answered from the cache for the others: the cache is
# warm for the whole measured window. Requests inside a tunnel carry the CONNECT's identity and
# are not authenticated again: what this measures is that they cost no more.
# Needs one earlier `bench/run.sh intercept` run, like bench/aws-overhead.sh (which this drives).
# Usage: REPS=5 DURATION=8 WARMUP=2 CONC=64 PREWARM=10 bench/auth-overhead.sh   (results in $OUT)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run_dir=${RUN_DIR:-/tmp/bench-run}
mkdir -p "$run_dir/sekisho-conf"
cp "$here/bench.htpasswd" "$run_dir/sekisho-conf/bench.htpasswd"
export OUT=${OUT:-$run_dir/auth-overhead}
export ON_VARIANT=intercept-basic ON_LABEL="Basic auth" PROXY_AUTH=bench:bench-proxy-password
exec "$here/aws-overhead.sh"
