#!/usr/bin/env bash
# archy against a strfry binary on this machine, same events, interleaved trials; prints markdown tables of
# medians and archy/strfry ratios (ingest events/s and CPU per event on fresh processes; REQ/s, p50, p99 and
# server CPU per REQ for author/kind/#t, ids, since/until and empty author x #t filters).
#   bench/vs-strfry.sh /path/to/strfry [--events 20000,200000] [--trials 3] [--queries 300]
# strfry is not built here: build it from its own repository; its strfry.conf must sit next to the binary
# (upstream's file: the script only changes the database directory, the port and nofiles).
# Needs Node/npm (the shared generator in ../shared/bench). Ports 7791 (archy) and 7792 (strfry).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STRFRY="${1:?usage: bench/vs-strfry.sh /path/to/strfry [--events 20000,200000] [--trials 3] [--queries 300] [--cases REGEX]}"; shift
[[ -x "$STRFRY" && -f "$(dirname "$STRFRY")/strfry.conf" ]] || { echo "need an executable strfry with strfry.conf beside it" >&2; exit 2; }
WORK="$(mktemp -d)"
cp -r "$ROOT/../shared/bench/." "$WORK/gen" && cp "$ROOT/bench/req-shapes.mjs" "$WORK/gen/"
(cd "$WORK/gen" && npm ci --no-audit --no-fund >/dev/null 2>&1)
"$ROOT/archy" build >/dev/null
node "$ROOT/bench/vs-strfry.mjs" --root "$ROOT" --gen "$WORK/gen" --strfry "$STRFRY" --work "$WORK" "$@"
