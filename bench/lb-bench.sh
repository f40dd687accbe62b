#!/usr/bin/env bash
# One archy process against two behind HAProxy on one fresh PostgreSQL database, same load, interleaved
# trials; prints markdown tables of medians and two/one ratios: ingest (events/s, ack p50/p99), REQ limit 500
# and 50 on 1 and 4 connections (REQ/s, p50/p99), CPU seconds of the relays, haproxy and the PostgreSQL
# backends per run. See the header of lb-bench.mjs for what each trial runs.
#   bench/lb-bench.sh [--events 20000] [--events-1x1 2000] [--trials 3] [--queries 300] [--conns 1,4] [--port 7793]
# Needs Node/npm (the shared generator in ../shared/bench), Debian's haproxy (/usr/sbin/haproxy or --haproxy),
# psql and a PostgreSQL server on 127.0.0.1:5432 where user postgres may create databases (--pghost, --pgport,
# --pguser). Ports 7793 (one process), 7794 and 7795 (the pair), 7796 (haproxy); a port in use stops the run.
# Kills only the processes it started and drops the database it created (archy_lbbench_<pid>).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in node npm psql; do command -v "$tool" >/dev/null || { echo "lb-bench: $tool is needed" >&2; exit 2; }; done
[[ " $* " == *" --haproxy "* || -x /usr/sbin/haproxy ]] || { echo "lb-bench: haproxy is needed (apt-get install haproxy)" >&2; exit 2; }
WORK="$(mktemp -d)"
cp -r "$ROOT/../shared/bench/." "$WORK/gen"
(cd "$WORK/gen" && npm ci --no-audit --no-fund >/dev/null 2>&1)
"$ROOT/archy" build >/dev/null
node "$ROOT/bench/lb-bench.mjs" --root "$ROOT" --gen "$WORK/gen" --work "$WORK" "$@"
