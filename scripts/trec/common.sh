# Shared by the TREC spam filter jig wrappers (initialize, classify, train, finalize): where the model lives and
# which spamcore runs. The jig runs the commands in the filter's directory, one process per call.
#   SPAMCORE_TREC_STATE  state directory (default: ./spamcore-state, beside where the jig runs us)
#   SPAMCORE_BIN         the binary (default: spamcore on PATH, else this checkout's build/spamcore)
#   SPAMCORE_TREC_ALGO   algorithm of the model the first train creates (default combo)
state=${SPAMCORE_TREC_STATE:-$PWD/spamcore-state}
model=$state/model.scm
bin=${SPAMCORE_BIN:-$(command -v spamcore || echo "$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)/build/spamcore")}
algo=${SPAMCORE_TREC_ALGO:-combo}
# A run without the binary would look like an untrained filter (every message "ham, 0"): fail loudly instead.
if [ ! -x "$bin" ]; then
  echo "spamcore (TREC jig): no spamcore binary at '$bin' (set SPAMCORE_BIN, or put spamcore on PATH)" >&2
  exit 3
fi
