#!/usr/bin/env bash
# Start-up of `./archy run` on a built tree, launcher included: milliseconds from launching the launcher to the
# first NIP-11 answer, and the process's RSS then. Interleaved trials with the JDK AOT cache that `./archy build`
# trains (JDK 25+) and without it (-XX:AOTMode=off), each on a fresh data directory and on one that already holds
# a database (a restart). Prints medians.
#   bench/start-up.sh [trials=7] [port=7795]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRIALS="${1:-7}"; PORT="${2:-7795}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT is in use" >&2; exit 2; fi
"$ROOT/archy" --version >/dev/null # builds (and trains the start-up cache) only when sources changed
WORK="$(mktemp -d)"; PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

one() { # $1 = cache|nocache, $2 = data dir; prints "ms rss_kib"
  local opts=""; [[ "$1" == nocache ]] && opts="-XX:AOTMode=off"
  local t0 t1; t0=$(date +%s%N)
  ARCHY_JAVA_OPTS="$opts" "$ROOT/archy" run --port "$PORT" --quic-port 0 --data-dir "$2" >"$WORK/log" 2>&1 &
  PID=$!
  until curl -sf -H 'Accept: application/nostr+json' "http://127.0.0.1:$PORT/" >/dev/null 2>&1; do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(ps -o rss= -p "$PID" | tr -d ' ')"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

declare -A ms rss
for ((i = 1; i <= TRIALS; i++)); do
  for mode in cache nocache; do
    for data in fresh restart; do
      dir="$WORK/$mode-$data"; [[ "$data" == fresh ]] && rm -rf "$dir"
      read -r t r < <(one "$mode" "$dir")
      ms[$mode-$data]+="$t "; rss[$mode-$data]+="$r "
    done
  done
done
echo "| start-up ($TRIALS trials, medians) | ms to first NIP-11 | RSS then (MiB) |"
echo "| --- | --- | --- |"
for key in cache-fresh nocache-fresh cache-restart nocache-restart; do
  m=$(tr ' ' '\n' <<<"${ms[$key]}" | grep . | median)
  r=$(tr ' ' '\n' <<<"${rss[$key]}" | grep . | median)
  echo "| $key | $m | $(( r / 1024 )) |"
done
