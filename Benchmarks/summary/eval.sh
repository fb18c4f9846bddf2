#!/usr/bin/env bash
# ROUGE-1/2/L F1 of the summary processor and the peers on the BBC News Summary test split, at 3
# sentences (k3) and at reference length (kref), all scored by rouge-score with stemming; then the
# single-core throughput. Corpus and peer scripts are read from ../shared (never copied here).
#
#   Benchmarks/summary/eval.sh            # seedwatch + peers (the peers take a few minutes)
#   PEERS=0 Benchmarks/summary/eval.sh    # seedwatch only
#   SPLIT=dev Benchmarks/summary/eval.sh  # the tuning split
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SEEDWATCH_SHARED:-../shared}
DATA=$SHARED/eval/summ/bbc_news_summary.jsonl
SPLIT=${SPLIT:-test}
VENV=.venv-peers
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q sumy rouge-score nltk
fi
swift build -c release --product seedwatch >&2
BIN=.build/release/seedwatch
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== seedwatch summary, $SPLIT split"
"$BIN" eval summary --data "$DATA" --split "$SPLIT" --out "$OUT/summaries.jsonl" --passes 0
"$VENV/bin/python" Benchmarks/summary/score.py "$OUT/summaries.jsonl" "$DATA"

if [ "${PEERS:-1}" = 1 ] && [ "$SPLIT" = test ]; then
    echo "== peers (../shared/eval/peers/scripts/summ_baseline.py), test split"
    NLTK_DATA=$SHARED/eval/peers/nltk_data "$VENV/bin/python" "$SHARED/eval/peers/scripts/summ_baseline.py" \
        "$DATA" "$SHARED/eval/summ/test_ids.txt" | grep -E '^k(3|ref) '
fi

echo "== throughput: all 2225 articles, 5 passes, one thread pinned to one core"
PIN=""
if command -v taskset >/dev/null; then PIN="taskset -c 0"; fi
$PIN "$BIN" eval summary --data "$DATA" --split all --passes 5
