#!/usr/bin/env bash
# Installs what is missing, builds, fetches the corpus (for the corpus tests) and runs the whole suite via ctest:
# first the Release build, then the parser tests again under ASan+UBSan (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if ! ./scripts/fetch-corpus.sh; then
  echo "test: corpus not available; corpus tests will report it" >&2
fi
jobs=$(nproc)
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPAMCORE_SANITIZE=ON -DSPAMCORE_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs" --target test_base test_corpus test_mail test_sa_corpus
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -L 'base|corpus|mail|sa_corpus'
