#!/usr/bin/env bash
# Fuzz the SIP message layer with AFL++ through SharpFuzz.
#   usage: tests/Engine.Sip.Fuzz/run-afl.sh [seconds] [work-dir]
# Needs: afl-fuzz (Debian package afl++) and the SharpFuzz instrumenter
#   (dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path <dir>, on PATH as sharpfuzz).
# Seeds: the RFC 4475/5118 vectors, the example messages and the bench messages.
# Findings land in <work-dir>/findings; replay them with the harness's "replay" mode.
set -euo pipefail
seconds="${1:-600}"
work="${2:-${TMPDIR:-/tmp}/dialtone-sip-fuzz}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

dotnet build -c Release "$here" -o "$work/bin" --artifacts-path "$work/artifacts"
sharpfuzz "$work/bin/Dialtone.Engine.Sip.dll"

mkdir -p "$work/seeds"
cp "$root"/tests/Engine.Sip.Tests/vectors/rfc4475/*.sip "$root"/tests/Engine.Sip.Tests/vectors/rfc5118/*.sip \
   "$root"/tests/Engine.Sip.Tests/Message/vectors/*.sip "$root"/bench/Engine.Sip.Benchmarks/data/*.sip "$work/seeds/"

# The dotnet host is not instrumented, the SharpFuzz-rewritten library is: skip the binary check.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
afl-fuzz -V "$seconds" -i "$work/seeds" -o "$work/findings" -t 10000 -m none \
  dotnet "$work/bin/Dialtone.Engine.Sip.Fuzz.dll" afl
