#!/usr/bin/env bash
# Installs what is missing, builds, fetches the corpus (for the corpus tests) and runs the whole suite via ctest:
# first the Release build, then the library tests again under ASan+UBSan (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
# procmail, maildrop: the README's delivery recipes are run for real by the CLI tests.
SPAMCORE_EXTRA_PACKAGES="procmail maildrop ${SPAMCORE_EXTRA_PACKAGES:-}" ./scripts/setup.sh
if ./scripts/fetch-corpus.sh; then
  ./scripts/split-corpus.sh  # hard-ham-1 by id, for the evasion test's standard split
else
  echo "test: corpus not available; corpus tests will report it" >&2
fi
jobs=$(nproc)
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPAMCORE_SANITIZE=ON -DSPAMCORE_WERROR=ON >/dev/null
# Every library test executable (the CLI tests run the Release binary above).
asan_labels='base|corpus|mail|tokenize|model|eval|store|engine|sa_corpus'
targets=""
for dir in tests/*/; do
  module=$(basename "$dir")
  if [[ $module =~ ^($asan_labels)$ ]] && compgen -G "$dir*_test.cpp" >/dev/null; then targets+=" test_$module"; fi
done
# The fuzz targets' replay builds run every regression input under the sanitizers too.
for f in tests/fuzz/fuzz_*.cpp; do t=$(basename "$f" .cpp); targets+=" replay_${t#fuzz_}"; done
# shellcheck disable=SC2086
cmake --build build-asan -j "$jobs" --target $targets
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -L "$asan_labels|fuzz_replay" -E layering

./scripts/lint.sh
