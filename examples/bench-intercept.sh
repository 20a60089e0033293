#!/bin/sh
# Starts sekisho.jar intercepting s3.us-east-1.amazonaws.com for ../shared/bench/run-peers.sh
# (its PUT_START_CMD). Needs, from the harness: BENCH_ORIGIN_HOST, BENCH_ORIGIN_PORT,
# BENCH_ORIGIN_CA; and SEKISHO_JAR, SEKISHO_CA_DIR (made once with `sekisho ca init --out DIR`;
# give DIR/ca.pem to the harness as CA_PEM). SEKISHO_PORT defaults to 3130. Everything but the
# origin host is refused, so blocked.example.com gets 403.
set -eu
port=${SEKISHO_PORT:-3130}
conf=$(mktemp /tmp/sekisho-bench-XXXXXX.yaml)
cat > "$conf" <<YAML
version: 1
listen: "127.0.0.1:$port"
audit:
  file: "/dev/null"
domains:
  allow:
    - $BENCH_ORIGIN_HOST
upstream:
  # The origin is on loopback: an upstream.resolve entry is the operator's choice of address,
  # which the private-address rule accepts (a name resolving to 127.0.0.1 by DNS would be refused).
  resolve:
    "$BENCH_ORIGIN_HOST": "127.0.0.1:$BENCH_ORIGIN_PORT"
  trustedCertificates:
    - "$BENCH_ORIGIN_CA"
tls:
  ca:
    certificate: "$SEKISHO_CA_DIR/ca.pem"
    privateKey: "$SEKISHO_CA_DIR/ca.key"
  intercept:
    - $BENCH_ORIGIN_HOST
YAML
exec java -Xmx512m -jar "$SEKISHO_JAR" run --config "$conf"
