#!/usr/bin/env bash
# A small driver following the TREC spam filter jig's contract (initialize; for each index line: classify FILE,
# then train JUDGEMENT FILE CLASS TFILE; finalize; one result line per message), run against scripts/trec/.
# Usage: jig_driver.sh SOURCE_DIR SPAMCORE_BIN
set -euo pipefail
src=$1
export SPAMCORE_BIN=$2
index=$src/data/fixtures/eval/trec-index
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Linked into the jig's filter directory, as the README says (without common.sh beside them).
filter=$work/filter
mkdir "$filter"
for w in initialize classify train finalize; do ln -s "$src/scripts/trec/$w" "$filter/$w"; done
cd "$work"
"$filter/initialize"
corpus=$(dirname "$index")
: > results
while read -r judge file; do
  line=$("$filter/classify" "$corpus/$file")
  [[ $line =~ ^class=(spam|ham)\ score=(-?[0-9.eE+-]+)\ tfile=(.*)$ ]] || { echo "bad classify line: $line"; exit 1; }
  class=${BASH_REMATCH[1]} score=${BASH_REMATCH[2]} tfile=${BASH_REMATCH[3]}
  "$filter/train" "$judge" "$corpus/$file" "$class" "$tfile"
  echo "file=$file judge=$judge class=$class score=$score" >> results
done < "$index"
"$filter/finalize"
cat results
n=$(wc -l < results)
[ "$n" -eq 18 ] || { echo "expected 18 results, got $n"; exit 1; }
# The first message had no model yet: the jig's default line.
head -1 results | grep -q 'class=ham score=0$' || { echo "first line should be the untrained default"; exit 1; }
# The last two lines repeat messages learned earlier: now classified right.
tail -2 results | head -1 | grep -q 'judge=spam class=spam' || { echo "a learned spam was not recognised"; exit 1; }
tail -1 results | grep -q 'judge=ham class=ham' || { echo "a learned ham was not recognised"; exit 1; }
[ -f spamcore-state/model.scm ] || { echo "no model in the state directory"; exit 1; }
# Without a binary the wrappers fail loudly, never a quiet "ham, 0" for every message.
if SPAMCORE_BIN=$work/none "$filter/classify" "$corpus/$(head -1 "$index" | cut -d' ' -f2)" > out 2> err; then
  echo "classify without a binary succeeded"; exit 1
fi
grep -q 'no spamcore binary' err || { echo "classify without a binary said nothing"; exit 1; }
echo "jig driver: OK"
