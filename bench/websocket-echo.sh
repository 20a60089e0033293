#!/usr/bin/env bash
# WebSocket echo throughput through TLS interception beside a plain CONNECT tunnel (issue 16,
# point 6): WebSocketEchoBench (proxy-core test sources) runs the origin, both proxies and the
# JDK WebSocket clients in one JVM, alternating the two modes every rep.
# Usage: CONNS=8 SIZE=16384 DURATION=10 WARMUP=3 REPS=3 bench/websocket-echo.sh   (TSV on stdout)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mvn -B -q -o -pl proxy-core -am test-compile dependency:build-classpath -Dfuzz.skip=true -Djacoco.skip=true \
    -Dcheckstyle.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/ws-bench.cp
cp="proxy-core/target/test-classes:proxy-core/target/classes:$(cat proxy-core/target/ws-bench.cp)"
exec java -Xms256m -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
    -Dconns="${CONNS:-8}" -Dsize="${SIZE:-16384}" -Dduration="${DURATION:-10}" -Dwarmup="${WARMUP:-3}" \
    -Dreps="${REPS:-3}" -cp "$cp" io.sekisho.proxy.websocket.bench.WebSocketEchoBench
