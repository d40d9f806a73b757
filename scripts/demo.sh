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

echo
echo "== Train on the standard training split (spam-1, easy-ham-1), score one message of the test split"
mkdir -p out
./build/spamcore train -m out/model.scm --spam "$corpus"/spam-1 --ham "$corpus"/easy-ham-1
sample=$(find "$corpus"/spam-2 -name '*.txt' | sort | sed -n 1p)
echo "score $sample:"
./build/spamcore score -m out/model.scm "$sample" || true

for algo in combo nb; do
  echo
  echo "== Online evaluation (TREC immediate feedback) over all 6046 messages, --algo $algo"
  ./build/spamcore eval --algo "$algo" --spam "$corpus"/spam-1 "$corpus"/spam-2 \
    --ham "$corpus"/easy-ham-1 "$corpus"/easy-ham-2 "$corpus"/hard-ham-1 --scores "out/online-$algo.tsv"
done
echo
echo "Scores per message: out/online-*.tsv; model: out/model.scm"
