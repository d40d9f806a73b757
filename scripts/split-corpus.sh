#!/usr/bin/env bash
# The standard split of design.md section 8 needs hard-ham-1 cut in two by message id (odd ids train, even ids
# test). This makes the two halves as folders of symlinks beside the corpus (git-ignored, like the corpus), and
# prints nothing. Usage: scripts/split-corpus.sh [CORPUS_DIR (default data/corpora/spamassassin)]
set -euo pipefail
# A path given is the caller's (relative to where they ran us); the default is the checkout's.
if [ $# -ge 1 ]; then
  corpus=$(cd "$1" && pwd)
else
  corpus=$(cd "$(dirname "$0")/.." && pwd)/data/corpora/spamassassin
fi
out=$corpus-split
[ -d "$out/hard-ham-1-odd" ] && [ -d "$out/hard-ham-1-even" ] && exit 0
src=$(cd "$corpus/hard-ham-1" && pwd)
rm -rf "$out.tmp"
trap 'rm -rf "$out.tmp"' ERR
mkdir -p "$out.tmp/hard-ham-1-odd" "$out.tmp/hard-ham-1-even"
for f in "$src"/*.txt; do
  name=$(basename "$f")
  id=$((10#${name%%.*}))
  if ((id % 2)); then ln -s "$f" "$out.tmp/hard-ham-1-odd/$name"; else ln -s "$f" "$out.tmp/hard-ham-1-even/$name"; fi
done
rm -rf "$out"
mv "$out.tmp" "$out"
