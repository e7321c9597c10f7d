#!/bin/sh
# End-to-end benchmark of rsock-java against plain UDP, in one run, on the netns test network
# (client - isp - server namespaces). Needs root, ip, nft; iperf3 and kcptun for their rows.
#
#   bench/tunnel-bench.sh --quick        # about 6 minutes: 1200 B, 1 s trials, every target of issue 15
#   bench/tunnel-bench.sh                # full: 64, 512, 1200 B, 3 s trials, 10 000 flows, longer kcptun
#   bench/tunnel-bench.sh --quick --install /tmp/other-build   # another build, e.g. the one before a change
#   bench/tunnel-bench.sh --paths direct,tcp --sizes 1200
#   bench/tunnel-bench.sh --paths direct,relay,udp --sizes 1200   # rsock against a native relay pair (bench/native/udprelay.c)
#   bench/tunnel-bench.sh --paths direct,tcp,tcp+aes-gcm,tcp+chacha20-poly1305 --sizes 1200   # what --crypt costs
#   RSOCK_OPTS="-XX:+UseParallelGC" bench/tunnel-bench.sh --quick   # JVM flags of the rsock processes
#
# Builds the reactor if the installation or the benchmark jar is missing (NO_BUILD=1 to refuse).
# Writes the table to stdout and bench/results/<date>[-quick].csv / .txt.
set -eu
# shellcheck disable=SC2086
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ ! -x distribution/target/rsock/bin/rsock ] || [ ! -f bench/jmh/target/benchmarks.jar ]; then
  [ "${NO_BUILD:-0}" = 1 ] && { echo "tunnel-bench: build first (mvn -B -q package -DskipTests)" >&2; exit 1; }
  mvn -B -q package -DskipTests
fi
# The native probe and echo (the Java pair limits plain UDP at small sizes); without a C compiler the
# Java ones are used and the table says so.
BLAST=""
if command -v cc >/dev/null 2>&1 && cc -O2 -pthread -o "$ROOT/bench/jmh/target/udpblast" "$ROOT/bench/native/udpblast.c"; then
  BLAST="--udpblast $ROOT/bench/jmh/target/udpblast"
fi
# The native relay pair of the "relay" row: the floor of any user-space relay on this machine.
if command -v cc >/dev/null 2>&1 && cc -O2 -pthread -o "$ROOT/bench/jmh/target/udprelay" "$ROOT/bench/native/udprelay.c"; then
  BLAST="$BLAST --udprelay $ROOT/bench/jmh/target/udprelay"
fi
# 10 000 app flows are 10 000 sockets in the probe and in the rsock server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xmx256m -XX:+UseSerialGC -cp "$ROOT/bench/jmh/target/benchmarks.jar" io.rsock.bench.TunnelBench \
  --install "$ROOT/distribution/target/rsock" --out "$ROOT/bench/results" $BLAST "$@"
