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

# The SIPp scenarios against the published binary, when SIPp is installed (it is not in the
# package registries; tests/sipp-scenarios/README.md). run.sh exits 3 when it is absent.
sipp_status=0
tests/sipp-scenarios/run.sh test || sipp_status=$?
case "$sipp_status" in
  0) ;;
  3) echo "SIPp scenarios skipped: sipp is not installed" ;;
  *) exit "$sipp_status" ;;
esac
