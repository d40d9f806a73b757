#!/usr/bin/env bash
# Nightly retraining, for cron: learns the messages the model has not seen yet (by SHA-256) from the Junk folder
# as spam and the inbox as ham, writes the new model atomically (scorers keep working), appends one line to the
# log and prints it (cron mails it), and exits non-zero on failure. Two runs at once are safe: the second waits
# for the model's lock and then finds nothing new.
#   crontab:  30 3 * * *  $HOME/spamcore/scripts/retrain.sh
# Env: MAILDIR (~/Maildir), SPAMCORE_SPAM ($MAILDIR/.Junk), SPAMCORE_HAM ($MAILDIR/cur),
#      SPAMCORE_MODEL (~/.spamcore/model.scm), SPAMCORE_LOG (~/.spamcore/retrain.log),
#      SPAMCORE_BIN (spamcore on PATH, else this checkout's build/spamcore).
set -uo pipefail
maildir=${MAILDIR:-$HOME/Maildir}
spam=${SPAMCORE_SPAM:-$maildir/.Junk}
ham=${SPAMCORE_HAM:-$maildir/cur}
model=${SPAMCORE_MODEL:-$HOME/.spamcore/model.scm}
log=${SPAMCORE_LOG:-$HOME/.spamcore/retrain.log}
bin=${SPAMCORE_BIN:-$(command -v spamcore || echo "$(cd "$(dirname "$0")/.." && pwd)/build/spamcore")}

mkdir -p "$(dirname "$log")" "$(dirname "$model")"
out=$("$bin" train --incremental -m "$model" --spam "$spam" --ham "$ham" 2>&1)
rc=$?
line="$(date -u +%Y-%m-%dT%H:%M:%SZ) retrain rc=$rc: ${out//$'\n'/ }"
echo "$line" >> "$log"
if [ "$rc" -eq 0 ]; then echo "$line"; else echo "$line" >&2; fi
exit "$rc"
