#!/usr/bin/env bash
# This checkout against another archy checkout (usually its base: git worktree add --detach ../base main), same
# events, interleaved REQ trials; prints REQ/s, p50, p99 and server CPU per REQ as medians and after/before ratios.
#   bench/archy-ab.sh <other checkout> [--events 20000] [--trials 5] [--queries 300]
# Needs Node/npm (the shared generator in ../shared/bench). Builds both checkouts. Ports 7795 (other) and 7796 (this).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$(cd "${1:?usage: bench/archy-ab.sh <other checkout> [--events N] [--trials N] [--queries N]}" && pwd)"; shift
WORK="$(mktemp -d)"
cp -r "$ROOT/../shared/bench/." "$WORK/gen"
(cd "$WORK/gen" && npm ci --no-audit --no-fund >/dev/null 2>&1)
"$BASE/archy" build >/dev/null
"$ROOT/archy" build >/dev/null
node "$ROOT/bench/archy-ab.mjs" --a "$BASE" --b "$ROOT" --gen "$WORK/gen" --work "$WORK" "$@"
