#!/usr/bin/env bash
# netty-relay.sh PORT CA.pem CA.key bytes|http|tunnel : starts NettyRelay.java (see there) with a leaf
# for $BENCH_ORIGIN_HOST and *.$BENCH_ORIGIN_HOST (EC P-256, signed by the CA, as tls-relay.c
# mints its own), on Sekisho's shaded jar for Netty and netty-tcnative. Under the harness:
#   PUT_START_CMD="bench/floor/netty-relay.sh 3130 CA.pem CA.key http" CA_PEM=CA.pem ...
# NETTY_RELAY_JAR names the jar (default proxy-core/target/sekisho.jar); NETTY_RELAY_JAVA_OPTS
# the JVM options (default bench/run.sh's for Sekisho).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# = 4 ] || { echo "usage: $0 PORT CA.pem CA.key bytes|http|tunnel" >&2; exit 2; }
: "${BENCH_ORIGIN_HOST:?}" "${BENCH_ORIGIN_PORT:?}" "${BENCH_ORIGIN_CA:?}"
jar=${NETTY_RELAY_JAR:-$here/../../proxy-core/target/sekisho.jar}
dir=$(mktemp -d /tmp/netty-relay.XXXXXX)
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/leaf.key" 2>/dev/null
openssl req -new -key "$dir/leaf.key" -subj "/CN=$BENCH_ORIGIN_HOST" -out "$dir/leaf.csr"
printf 'subjectAltName=DNS:%s,DNS:*.%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  "$BENCH_ORIGIN_HOST" "$BENCH_ORIGIN_HOST" > "$dir/ext.cnf"
openssl x509 -req -in "$dir/leaf.csr" -CA "$2" -CAkey "$3" -CAcreateserial -days 30 -sha256 \
  -extfile "$dir/ext.cnf" -out "$dir/leaf.pem" 2>/dev/null
# exec: the harness measures this PID's CPU.
exec java ${NETTY_RELAY_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled} \
  -cp "$jar" "$here/NettyRelay.java" "$1" "$dir/leaf.pem" "$dir/leaf.key" "$4"
