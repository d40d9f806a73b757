#!/usr/bin/env bash
# The main job, end to end on a fresh machine: install, build, fetch the SpamAssassin corpus, and show what the
# readers and the parser find in it, per folder. (Training and evaluation join here as they land.)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/fetch-corpus.sh
corpus=data/corpora/spamassassin
echo
echo "== What spamcore reads in the SpamAssassin public corpus"
./build/spamcore stats "$corpus"/easy-ham-1 "$corpus"/easy-ham-2 "$corpus"/hard-ham-1 "$corpus"/spam-1 "$corpus"/spam-2
if [ -x build/bench/bench_parse ]; then
  echo
  echo "== Parse throughput (read + parse + decode, one core)"
  ./build/bench/bench_parse "$corpus" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_min_time=1 2>/dev/null | grep -E 'median|Benchmark' || true
fi
