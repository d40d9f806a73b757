#!/usr/bin/env bash
# spamcore against bogofilter on this machine, in one run: training throughput (one process over the training
# split: spam-1 + easy-ham-1) and per-message scoring as a fresh process (procmail's case) over a sample of the
# test split (spam-2 + easy-ham-2). Prints medians, p95 and ratios, and peak memory of both.
# Usage: scripts/bench-vs-bogofilter.sh [SAMPLE_MESSAGES (default: the whole test split, 2796)]
set -euo pipefail
cd "$(dirname "$0")/.."
SPAMCORE_EXTRA_PACKAGES="bogofilter time" ./scripts/setup.sh >/dev/null
./scripts/fetch-corpus.sh
corpus=data/corpora/spamassassin
sample=${1:-2796}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=./build/spamcore

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
p95() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95); if (i<1) i=1; print a[i]}'; }

find "$corpus"/spam-1 -name '*.txt' | sort > "$work/spam.list"
find "$corpus"/easy-ham-1 -name '*.txt' | sort > "$work/ham.list"
msgs=$(cat "$work/spam.list" "$work/ham.list" | wc -l)

echo "== Training: $msgs messages (spam-1 + easy-ham-1), wall seconds, median of 3"
for run in 1 2 3; do
  rm -rf "$work/bogo"; mkdir "$work/bogo"
  s=$(date +%s.%N)
  bogofilter -d "$work/bogo" -s -b < "$work/spam.list"
  bogofilter -d "$work/bogo" -n -b < "$work/ham.list"
  echo "$(date +%s.%N) - $s" | bc
done | median > "$work/bogo.train"
for threads in 1 2; do
  for run in 1 2 3; do
    rm -f "$work/m$threads.scm"
    s=$(date +%s.%N)
    $bin train -m "$work/m$threads.scm" --threads "$threads" --spam "$corpus"/spam-1 --ham "$corpus"/easy-ham-1 >/dev/null
    echo "$(date +%s.%N) - $s" | bc
  done | median > "$work/sc$threads.train"
done
bt=$(cat "$work/bogo.train"); s1=$(cat "$work/sc1.train"); s2=$(cat "$work/sc2.train")
printf "bogofilter          %6.2f s  %7.0f msg/s\n" "$bt" "$(echo "$msgs / $bt" | bc -l)"
printf "spamcore 1 thread   %6.2f s  %7.0f msg/s  (%.1fx bogofilter)\n" "$s1" "$(echo "$msgs / $s1" | bc -l)" "$(echo "$bt / $s1" | bc -l)"
printf "spamcore 2 threads  %6.2f s  %7.0f msg/s  (%.1fx bogofilter)\n" "$s2" "$(echo "$msgs / $s2" | bc -l)" "$(echo "$bt / $s2" | bc -l)"
rm -rf "$work/bogomem"; mkdir "$work/bogomem"
/usr/bin/time -f "%M" -o "$work/bogo.mem" bogofilter -d "$work/bogomem" -s -b < "$work/spam.list"
/usr/bin/time -f "%M" -o "$work/bogo.mem2" bogofilter -d "$work/bogomem" -n -b < "$work/ham.list"
/usr/bin/time -f "%M" -o "$work/sc.mem" $bin train -m "$work/mem.scm" --spam "$corpus"/spam-1 --ham "$corpus"/easy-ham-1 >/dev/null
echo "peak RSS of training: bogofilter $(sort -n "$work/bogo.mem" "$work/bogo.mem2" | tail -1) KiB (database $(du -sk "$work/bogomem" | cut -f1) KiB), spamcore $(cat "$work/sc.mem") KiB (model $(($(stat -c %s "$work/m1.scm") / 1024)) KiB)"

echo
echo "== Scoring one message per process, $sample messages of spam-2 + easy-ham-2 (wall ms)"
{ find "$corpus"/spam-2 -name "*.txt" | sort | awk -v n=$((sample / 2)) "NR<=n"; find "$corpus"/easy-ham-2 -name "*.txt" | sort | awk -v n=$((sample / 2)) "NR<=n"; } > "$work/test.list"
: > "$work/bogo.ms"; : > "$work/sc.ms"
# Wall time per process from bash's clock (no fork to read it), same loop for both, interleaved.
ms() { awk -v s="$1" -v e="$2" 'BEGIN {printf "%.3f\n", (e - s) * 1000}'; }
while read -r f; do
  s=$EPOCHREALTIME; bogofilter -d "$work/bogo" -T < "$f" >/dev/null || true; e=$EPOCHREALTIME
  echo "$s $e" >> "$work/bogo.t"
  s=$EPOCHREALTIME; $bin score -m "$work/m1.scm" < "$f" >/dev/null || true; e=$EPOCHREALTIME
  echo "$s $e" >> "$work/sc.t"
  s=$EPOCHREALTIME; $bin filter -m "$work/m1.scm" < "$f" >/dev/null || true; e=$EPOCHREALTIME
  echo "$s $e" >> "$work/filter.t"
done < "$work/test.list"
for t in bogo sc filter; do while read -r s e; do ms "$s" "$e"; done < "$work/$t.t" > "$work/$t.ms"; done
empty=$(mktemp); : > "$empty"
: > "$work/fixed.ms"
for i in $(seq 200); do
  s=$EPOCHREALTIME; $bin score -m "$work/m1.scm" < "$empty" >/dev/null || true; e=$EPOCHREALTIME
  ms "$s" "$e" >> "$work/fixed.ms"
  s=$EPOCHREALTIME; /bin/true < "$empty"; e=$EPOCHREALTIME
  ms "$s" "$e" >> "$work/true.ms"
done
rm -f "$empty"
printf "bogofilter -T   median %6.2f ms  p95 %6.2f ms\n" "$(median < "$work/bogo.ms")" "$(p95 < "$work/bogo.ms")"
printf "spamcore score  median %6.2f ms  p95 %6.2f ms\n" "$(median < "$work/sc.ms")" "$(p95 < "$work/sc.ms")"
printf "spamcore filter median %6.2f ms  p95 %6.2f ms\n" "$(median < "$work/filter.ms")" "$(p95 < "$work/filter.ms")"
printf "spamcore fixed cost (empty message: start + open model): median %.2f ms (/bin/true: %.2f ms)\n" \
  "$(median < "$work/fixed.ms")" "$(median < "$work/true.ms")"
f=$(sed -n 1p "$work/test.list")
/usr/bin/time -q -f "%M" -o "$work/b.mem" bogofilter -d "$work/bogo" -T < "$f" >/dev/null || true
/usr/bin/time -q -f "%M" -o "$work/s.mem" $bin score -m "$work/m1.scm" < "$f" >/dev/null || true
echo "peak RSS per scoring process: bogofilter $(cat "$work/b.mem") KiB, spamcore $(cat "$work/s.mem") KiB"

echo
echo "== Long messages: 1 MB of mail as one message (text, HTML, base64), one process each, median of 5 (wall ms)"
# Built from the test split, so the words are real mail's: the ham concatenated as plain text; the spam (mostly
# HTML) as text/html; the first 700 kB of the text again, base64-encoded.
hdr() { printf 'From: someone@example.com\nTo: you@example.com\nSubject: a long message\nMIME-Version: 1.0\n%s\n\n' "$1"; }
# The first BYTES bytes of a folder's messages, one after the other (head closes the pipe early: not a failure).
first_bytes() { (set +o pipefail; find "$1" -name '*.txt' | sort | xargs cat 2>/dev/null | head -c "$2"); }
{ hdr "Content-Type: text/plain"; first_bytes "$corpus"/easy-ham-2 1000000; } > "$work/long-text.eml"
{ hdr "Content-Type: text/html"; first_bytes "$corpus"/spam-2 1000000; } > "$work/long-html.eml"
{ hdr $'Content-Type: text/plain\nContent-Transfer-Encoding: base64'; first_bytes "$corpus"/easy-ham-2 700000 | base64; } \
  > "$work/long-base64.eml"
for kind in text html base64; do
  f="$work/long-$kind.eml"
  : > "$work/lb.ms"; : > "$work/ls.ms"
  for run in 1 2 3 4 5; do
    s=$EPOCHREALTIME; bogofilter -d "$work/bogo" -T < "$f" >/dev/null || true; e=$EPOCHREALTIME; ms "$s" "$e" >> "$work/lb.ms"
    s=$EPOCHREALTIME; $bin score -m "$work/m1.scm" < "$f" >/dev/null || true; e=$EPOCHREALTIME; ms "$s" "$e" >> "$work/ls.ms"
  done
  /usr/bin/time -q -f "%M" -o "$work/b.mem" bogofilter -d "$work/bogo" -T < "$f" >/dev/null || true
  /usr/bin/time -q -f "%M" -o "$work/s.mem" $bin score -m "$work/m1.scm" < "$f" >/dev/null || true
  printf "%-7s bogofilter %6.1f ms %6s KiB   spamcore %6.1f ms %6s KiB\n" "$kind" "$(median < "$work/lb.ms")" \
    "$(cat "$work/b.mem")" "$(median < "$work/ls.ms")" "$(cat "$work/s.mem")"
done
