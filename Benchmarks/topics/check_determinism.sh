#!/bin/sh
# Cross-process determinism check for the topics tracker (docs/TOPICS.md, "Determinism").
# Every run of the binary gets its own hash seed, so dictionary order differs between runs; the
# outputs must not. Runs `eval topics` on one generated order three times (one of them with
# SWIFT_DETERMINISTIC_HASHING=1) and `process --json` over the seed articles twice, comparing the
# latter without its timing fields. Run from the package root after `swift build -c release`.
set -eu
BIN=${SEEDWATCH_BIN:-.build/release/seedwatch}
E=${EVAL_TOPICS:-../shared/eval/topics}
SEEDS=${SEEDS:-../shared/seeds}
OUT=${OUT:-/tmp/seedwatch-topics-determinism}
SEED=${1:-31}
HERE=$(dirname "$0")
mkdir -p "$OUT"
python3 "$HERE/make_streams.py" "$E/bbc_stream_dev.jsonl" "$SEED" > "$OUT/stream.jsonl"
"$BIN" eval topics "$OUT/stream.jsonl" > "$OUT/run1.pred"
"$BIN" eval topics "$OUT/stream.jsonl" > "$OUT/run2.pred"
SWIFT_DETERMINISTIC_HASHING=1 "$BIN" eval topics "$OUT/stream.jsonl" > "$OUT/run3.pred"
cmp "$OUT/run1.pred" "$OUT/run2.pred" && cmp "$OUT/run1.pred" "$OUT/run3.pred"
echo "eval topics, seed $SEED: 3 runs identical ($(wc -l < "$OUT/run1.pred") lines)"
for run in 1 2; do
  "$BIN" process --json "$SEEDS"/* | python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("arrived_at", "completed_at", "duration_ms")}
    return [strip(x) for x in o] if isinstance(o, list) else o
for line in sys.stdin:
    if line.strip(): print(json.dumps(strip(json.loads(line))))
' > "$OUT/process$run.json"
done
cmp "$OUT/process1.json" "$OUT/process2.json"
echo "process --json over $SEEDS: 2 runs identical apart from arrived_at, completed_at, duration_ms"
