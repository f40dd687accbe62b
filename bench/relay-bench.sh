#!/usr/bin/env bash
# Runs the shared relay load generator (../shared/bench) against a fresh archy relay, the way its README
# prescribes: empty database before each ingest, then queries on the 20,000 ingested events.
#   bench/relay-bench.sh sqlite|postgresql [port]
# Needs Node/npm (the generator) and, for postgresql, the server on 127.0.0.1:5432 (database test).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STORE="${1:-sqlite}"; PORT="${2:-7790}"
WORK="$(mktemp -d)"; trap 'kill $RELAY 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$ROOT/../shared/bench/." "$WORK/gen" && (cd "$WORK/gen" && npm ci --no-audit --no-fund >/dev/null 2>&1)
BENCH="node $WORK/gen/relay-bench.mjs"
$BENCH gen --out "$WORK/events.jsonl" --events 20000 >/dev/null
cat > "$WORK/bench.toml" <<TOML
[relay]
events_per_second = 1000000
event_burst = 1000000
[plugins]
enabled = []
TOML
"$ROOT/archy" build
start_relay() {
  rm -rf "$WORK/data"
  local storage="sqlite"
  if [[ "$STORE" == postgresql ]]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS archy_bench CASCADE; CREATE SCHEMA archy_bench;"
    storage="postgresql://postgres@127.0.0.1:5432/test?currentSchema=archy_bench"
  fi
  ARCHY_JAVA_OPTS="-Xmx2g" "$ROOT/archy" run --port "$PORT" --data-dir "$WORK/data" --storage "$storage" \
    --config "$WORK/bench.toml" >"$WORK/relay.log" 2>&1 &
  RELAY=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && return 0; sleep 0.5; done
  cat "$WORK/relay.log"; exit 1
}
stop_relay() { kill "$RELAY"; wait "$RELAY" 2>/dev/null || true; }
URL="ws://127.0.0.1:$PORT"
echo "== $STORE: ingest 1 x 1 (empty database)"
start_relay; $BENCH ingest --url "$URL" --in "$WORK/events.jsonl" --conns 1 --window 1 --timeout 120 | grep RESULT; stop_relay
echo "== $STORE: ingest 8 x 64 (empty database)"
start_relay; $BENCH ingest --url "$URL" --in "$WORK/events.jsonl" --conns 8 --window 64 --timeout 120 | grep RESULT
for conns in 1 4; do
  for limit in 500 50; do
    echo "== $STORE: REQ limit $limit, $conns connection(s)"
    $BENCH query --url "$URL" --in "$WORK/events.jsonl" --queries 300 --conns "$conns" --limit "$limit" | grep -E "RESULT|p50"
  done
done
stop_relay
