#!/usr/bin/env bash
# Installs the Debian packages the tests and the native-AOT publish need.
# Safe to run again: apt skips what is already there. Needs root (or sudo).
set -euo pipefail

packages=(
  clang zlib1g-dev          # native AOT: the ILCompiler links with clang and zlib
  libespeak-ng1 espeak-ng   # <Say>: speech rendered in-process through libespeak-ng.so.1
  baresip-core              # real SIP peer: an auto-answering callee that logs RFC 4733 digits
  kamailio                  # real SIP peer: a carrier-like trunk that challenges with digest auth
  sqlite3                   # inspecting the CDR and outbox databases by hand
  curl                      # the smoke test and the README examples talk to the REST API
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
