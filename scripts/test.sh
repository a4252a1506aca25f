#!/usr/bin/env bash
# Runs every test: the unit and loopback tests of each project (real sockets, real SQLite,
# real espeak-ng, real baresip and kamailio started by the tests themselves) and the end-to-end
# tests (the daemon as a process), then publishes the native-AOT daemon, smoke-tests it, and runs
# the end-to-end tests again against the published binary.
# Usage: scripts/test.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

# Many loopback tests open thousands of sockets.
ulimit -n 65536 2>/dev/null || true

dotnet build Engine.sln -c Release
dotnet test Engine.sln -c Release --no-build --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=3000000

scripts/publish.sh
scripts/smoke-published.sh
# The end-to-end tests again, this time against the published native-AOT binary.
DIALTONE_BINARY="$PWD/out/dialtone/dialtone" dotnet test tests/EndToEnd.Tests -c Release --no-build --logger "console;verbosity=normal"
