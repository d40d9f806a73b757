#!/usr/bin/env bash
# The evasion table of docs/evasion.md: train on the standard training split (spam-1, easy-ham-1, odd hard-ham-1),
# then classify the test spam (spam-2, the single-part unencoded messages) as written and after each evasion
# (tests/evasion/transforms.cpp, seeded), with spamcore nb, logreg and combo and with bogofilter, in one run.
# Prints sm% (spam not called spam, at each filter's default thresholds: unsure counts as missed) per set.
set -euo pipefail
cd "$(dirname "$0")/.."
SPAMCORE_EXTRA_PACKAGES="bogofilter" ./scripts/setup.sh >/dev/null
./scripts/fetch-corpus.sh >/dev/null
corpus=data/corpora/spamassassin
./scripts/split-corpus.sh "$corpus"
split=$corpus-split
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./build/tests/make_evasion "$corpus/spam-2" "$work/sets" 1
sets=(plain rewrapped comments zero-width spacing lookalike base64 poison html-only)
for algo in nb logreg combo; do
  ./build/spamcore train -m "$work/$algo.scm" --algo "$algo" --spam "$corpus/spam-1" \
    --ham "$corpus/easy-ham-1" "$split/hard-ham-1-odd" > /dev/null
done
mkdir "$work/bogo"
find "$corpus/spam-1" -name '*.txt' | sort | bogofilter -d "$work/bogo" -s -b
find "$corpus/easy-ham-1" "$split/hard-ham-1-odd/" -name '*.txt' | sort | bogofilter -d "$work/bogo" -n -b
printf "%-11s %6s %8s %8s %8s %10s\n" set n nb logreg combo bogofilter
for s in "${sets[@]}"; do
  n=$(find "$work/sets/$s" -type f | wc -l)
  row=$(printf "%-11s %6d" "$s" "$n")
  for algo in nb logreg combo; do
    missed=$(./build/spamcore classify -m "$work/$algo.scm" "$work/sets/$s" 2>/dev/null | awk -F'\t' '$4 != "spam"' | wc -l)
    row+=$(printf " %8.2f" "$(echo "100 * $missed / $n" | bc -l)")
  done
  missed=$(find "$work/sets/$s" -type f -print0 | sort -z | { xargs -0 bogofilter -d "$work/bogo" -T -B || true; } | awk '$2 != "S"' | wc -l)
  row+=$(printf " %10.2f" "$(echo "100 * $missed / $n" | bc -l)")
  echo "$row"
done
