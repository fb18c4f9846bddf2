#!/usr/bin/env bash
# ROUGE-1/2/L F1 of the summary processor and the peers on the BBC News Summary test split, at 3
# sentences (k3) and at reference length (kref), all scored by rouge-score with stemming; then the
# single-core throughput. Corpus and peer scripts are read from ../shared (never copied here).
# Two inputs: the body text alone, and the articles as files arrive (headline, blank line, body),
# which seedwatch reads and processes as `seedwatch process --json` does and the peers get as text.
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
swift build -c release --static-swift-stdlib -Xswiftc -warnings-as-errors --product seedwatch >&2
BIN=.build/release/seedwatch
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== seedwatch summary, $SPLIT split, body text"
"$BIN" eval summary --data "$DATA" --split "$SPLIT" --out "$OUT/summaries.jsonl" --passes 0
"$VENV/bin/python" Benchmarks/summary/score.py "$OUT/summaries.jsonl" "$DATA"

echo "== seedwatch summary, $SPLIT split, as files (headline, blank line, body)"
"$BIN" eval summary --data "$DATA" --split "$SPLIT" --as-files --out "$OUT/files.jsonl" --passes 0
"$VENV/bin/python" Benchmarks/summary/score.py "$OUT/files.jsonl" "$DATA"

if [ "${PEERS:-1}" = 1 ] && [ "$SPLIT" = test ]; then
    BASELINE=$SHARED/eval/peers/scripts/summ_baseline.py
    echo "== peers ($BASELINE), test split, body text"
    NLTK_DATA=$SHARED/eval/peers/nltk_data "$VENV/bin/python" "$BASELINE" \
        "$DATA" "$SHARED/eval/summ/test_ids.txt" | grep -E '^k(3|ref) '
    echo "== peers, test split, as files: the same text seedwatch's files hold"
    "$VENV/bin/python" -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("title"): d["text"] = d["title"] + "\n\n" + d["text"]
    print(json.dumps(d))' "$DATA" > "$OUT/as_files.jsonl"
    NLTK_DATA=$SHARED/eval/peers/nltk_data "$VENV/bin/python" "$BASELINE" \
        "$OUT/as_files.jsonl" "$SHARED/eval/summ/test_ids.txt" | grep -E '^k(3|ref) '
fi

echo "== throughput: all 2225 articles, 5 passes, one thread pinned to one core"
PIN=""
if command -v taskset >/dev/null; then PIN="taskset -c 0"; fi
$PIN "$BIN" eval summary --data "$DATA" --split all --passes 5
