#!/usr/bin/env bash
# Publishes the daemon as one native-AOT binary into out/dialtone/ and fails on any AOT or trim
# warning (warnings are errors in every project).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet publish src/Daemon -c Release -r linux-x64 -o out/dialtone -p:TreatWarningsAsErrors=true
ls -l out/dialtone/dialtone
