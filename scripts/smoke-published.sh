#!/usr/bin/env bash
# Starts the published native-AOT daemon on a free loopback port, waits until it is healthy,
# checks its version endpoint, and stops it by its PID. Bounded: fails after 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=out/dialtone/dialtone
[ -x "$bin" ] || { echo "smoke: $bin not found; run scripts/publish.sh first" >&2; exit 1; }

port=$((30000 + RANDOM % 20000))
data=$(mktemp -d)
"$bin" --urls "http://127.0.0.1:$port" >"$data/daemon.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  kill -0 $pid 2>/dev/null || { echo "smoke: daemon exited"; cat "$data/daemon.log"; exit 1; }
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
curl -fsS "http://127.0.0.1:$port/readyz"; echo
curl -fsS "http://127.0.0.1:$port/version"; echo
echo "smoke: published native-AOT daemon is healthy"
