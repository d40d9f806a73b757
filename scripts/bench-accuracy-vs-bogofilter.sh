#!/usr/bin/env bash
# Accuracy against bogofilter in the same run (design.md section 7): the online protocol over the SpamAssassin
# corpus, in spamcore's order (SHA-256 of "<seed>:<folder>/<file>", read from `eval --scores`), and the standard
# split (design.md section 8). bogofilter classifies each message (`-TT`: its score to 16 digits; its exit code is
# the verdict) and, online, then learns it with the gold label (`-s` / `-n`: train on everything). Prints
# (1-ROCA)%, hm%, sm% and lam% of both, computed the same way (ties count half; unsure is not spam).
# Usage: scripts/bench-accuracy-vs-bogofilter.sh [SEED (default 1)]   (~1 minute: two bogofilter processes a message)
set -euo pipefail
cd "$(dirname "$0")/.."
SPAMCORE_EXTRA_PACKAGES="bogofilter" ./scripts/setup.sh >/dev/null
./scripts/fetch-corpus.sh
./scripts/split-corpus.sh
seed=${1:-1}
corpus=data/corpora/spamassassin
split=data/corpora/spamassassin-split
bin=./build/spamcore
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Lines "<1 spam|0 ham> <score> <1 called spam|0 not>" -> (1-ROCA)% (Mann-Whitney, ties half), hm%, sm%, lam%.
metrics() {
  sort -g -k2,2 "$1" | awk '
    function logit(p) { return log(p / (1 - p)) }
    function clamp(e, n) { return (e < 0.5 ? 0.5 : (e > n - 0.5 ? n - 0.5 : e)) / n }
    { y[NR] = $1; s[NR] = $2; c[NR] = $3; if ($1) ns++; else nh++; if ($1 && !$3) fn++; if (!$1 && $3) fp++ }
    END {
      i = 1
      while (i <= NR) {
        j = i; while (j < NR && s[j + 1] == s[i]) j++
        for (k = i; k <= j; k++) if (y[k]) ranks += (i + j) / 2
        i = j + 1
      }
      auc = (ranks - ns * (ns + 1) / 2) / (ns * nh)
      lam = 100 / (1 + exp(-(logit(clamp(fp, nh)) + logit(clamp(fn, ns))) / 2))
      # sm% at hm% 0.1: the lowest threshold (a whole group of tied scores at a time) that flags at most 0.1% of ham.
      allowed = int(0.001 * nh); caught = 0; hams = 0; i = NR
      while (i >= 1) {
        j = i; gs = 0; gh = 0
        while (j >= 1 && s[j] == s[i]) { if (y[j]) gs++; else gh++; j-- }
        if (hams + gh > allowed) break
        hams += gh; caught += gs; i = j
      }
      printf "%10.4f %7.3f %7.3f %7.3f %9.2f\n", 100 * (1 - auc), 100 * fp / nh, 100 * fn / ns, lam,
        100 * (ns - caught) / ns
    }'
}

# spamcore's scores in TREC form ("<file> judge=spam class=spam score=<log-odds>": ranks at full precision) ->
# metric lines.
spamcore_lines() {
  awk '{sub("score=", "", $4); print ($2 == "judge=spam") ? 1 : 0, $4, ($3 == "class=spam") ? 1 : 0}' "$1"
}

# bogofilter classifies each message of a scores file's order (and learns it after, with `learn`).
bogofilter_lines() {  # SCORES_FILE DB learn|nolearn
  local file gold score rc
  while read -r file gold _ _; do
    gold=${gold#judge=}
    if [ ! -e "$2/wordlist.db" ]; then
      score=0.5 rc=2  # nothing learned yet: bogofilter refuses to classify; unsure
    else
      rc=0; score=$(bogofilter -d "$2" -TT < "$file") || rc=$?
      [ "$rc" -le 2 ] || { echo "bogofilter failed on $file" >&2; exit 1; }
    fi
    echo "$([ "$gold" = spam ] && echo 1 || echo 0) $score $([ "$rc" -eq 0 ] && echo 1 || echo 0)"
    if [ "$3" = learn ]; then
      if [ "$gold" = spam ]; then bogofilter -d "$2" -s < "$file"; else bogofilter -d "$2" -n < "$file"; fi
    fi
  done < "$1"
}

echo "== online: all 6046 messages, seed $seed (each scored, then learned with its label)"
$bin eval --seed "$seed" --spam "$corpus"/spam-1 "$corpus"/spam-2 \
  --ham "$corpus"/easy-ham-1 "$corpus"/easy-ham-2 "$corpus"/hard-ham-1 --scores "$work/online.tsv" --scores-format trec > /dev/null
spamcore_lines "$work/online.tsv" > "$work/sc-online"
mkdir "$work/bogo-online"
bogofilter_lines "$work/online.tsv" "$work/bogo-online" learn > "$work/bf-online"

echo "== split: train spam-1, easy-ham-1, hard-ham-1 odd ids; test spam-2, easy-ham-2, hard-ham-1 even ids"
$bin eval --protocol split --seed "$seed" --spam "$corpus"/spam-1 --ham "$corpus"/easy-ham-1 "$split"/hard-ham-1-odd \
  --test-spam "$corpus"/spam-2 --test-ham "$corpus"/easy-ham-2 "$split"/hard-ham-1-even \
  --scores "$work/split.tsv" --scores-format trec > /dev/null
spamcore_lines "$work/split.tsv" > "$work/sc-split"
mkdir "$work/bogo-split"
find "$corpus"/spam-1 -name '*.txt' | bogofilter -d "$work/bogo-split" -s -b
find "$corpus"/easy-ham-1 "$split"/hard-ham-1-odd -name '*.txt' | bogofilter -d "$work/bogo-split" -n -b
bogofilter_lines "$work/split.tsv" "$work/bogo-split" nolearn > "$work/bf-split"

echo
printf "%-8s %-12s %10s %7s %7s %7s %9s\n" protocol filter "(1-ROCA)%" "hm%" "sm%" "lam%" "sm%@hm.1"
for protocol in online split; do
  printf "%-8s %-12s %s\n" "$protocol" spamcore "$(metrics "$work/sc-$protocol")"
  printf "%-8s %-12s %s\n" "$protocol" bogofilter "$(metrics "$work/bf-$protocol")"
done
echo "(bogofilter $(bogofilter -V 2>&1 | head -1 | grep -o '[0-9][0-9.]*' | head -1) with its default cutoffs; hm/sm/lam at each"
echo " filter's own thresholds, unsure counted as not spam; sm% at hm% 0.1: at the best threshold for each)"
