#!/usr/bin/env bash
# Runs every libFuzzer target for a time budget: builds them with clang (+ASan+UBSan) into build-fuzz/, seeds each
# from data/fixtures and data/regress/<target>, gives each the mail dictionary (tests/fuzz/mail.dict), runs them two
# at a time, and copies any crash, leak, timeout or out-of-memory input into data/regress/<target>/ (replayed by
# ctest from then on). Prints executions per target.
# Usage: scripts/fuzz.sh [SECONDS per target (default 60)] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
SPAMCORE_EXTRA_PACKAGES="clang" SPAMCORE_NO_BUILD=1 ./scripts/setup.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPAMCORE_FUZZ=ON \
  -DSPAMCORE_SANITIZE=ON -DSPAMCORE_BENCH=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do t=$(basename "$f" .cpp); targets+=("${t#fuzz_}"); done
fi
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
mkdir -p build-fuzz/logs
stamp=build-fuzz/logs/.start
touch "$stamp"
run() {
  local t=$1 corpus=build-fuzz/corpus/$1
  mkdir -p "$corpus" "data/regress/$t"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
    -dict=tests/fuzz/mail.dict \
    -artifact_prefix="data/regress/$t/" -print_final_stats=1 "$corpus" "data/regress/$t" data/fixtures \
    > "build-fuzz/logs/$t.log" 2>&1 || echo "fuzz: $t stopped on a finding (see build-fuzz/logs/$t.log)"
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/logs/$t.log" | tail -1)
  echo "fuzz: $t: ${execs:-?} executions in ${seconds} s, corpus $(find "$corpus" -type f | wc -l) inputs"
}
jobs=$(nproc)
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  run "$t" &
done
wait
found=$(find data/regress -type f ! -name README.md -newer "$stamp" -print | wc -l)
echo "fuzz: new inputs in data/regress: $found"
