#!/usr/bin/env bash
# Read + parse + decode (+ tokenize) throughput on the SpamAssassin corpus, one core: medians of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
./scripts/fetch-corpus.sh
exec taskset -c 0 ./build/bench/bench_parse data/corpora/spamassassin --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_min_time=2 "$@"
