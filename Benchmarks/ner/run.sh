#!/usr/bin/env bash
# Entity tagger benchmark: retrains the model (checks it is byte-identical to the shipped one),
# scores CoNLL-2003 test and WNUT-17 test, and measures tagging speed on one core.
# Usage (from the package root): Benchmarks/ner/run.sh
# Reads the corpora from ../shared/eval; writes only to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVAL=../shared/eval/ner
BIN=.build/release/seedwatch
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

swift build -c release --static-swift-stdlib -Xswiftc -warnings-as-errors --product seedwatch >/dev/null

echo "== retrain (must reproduce the shipped model byte for byte)"
"$BIN" train-ner --train $EVAL/conll2003/train.conll --dev $EVAL/conll2003/dev.conll \
    --unlabeled ../shared/eval/summ/bbc_news_summary.jsonl --gazetteer Benchmarks/ner/gazetteer-places.tsv \
    --train-on-dev --out "$OUT/model.swner"
if cmp -s "$OUT/model.swner" Sources/SeedwatchProcessors/Resources/ner-conll2003.swner; then
    echo "identical to the shipped model"
else
    echo "DIFFERENT from the shipped model"
fi

echo "== held-out dev: the same options without --train-on-dev (the shipped model has seen dev)"
"$BIN" train-ner --train $EVAL/conll2003/train.conll --dev $EVAL/conll2003/dev.conll \
    --unlabeled ../shared/eval/summ/bbc_news_summary.jsonl --gazetteer Benchmarks/ner/gazetteer-places.tsv \
    --out "$OUT/train-only.swner" 2>&1 | tail -1
taskset -c 0 "$BIN" eval ner $EVAL/conll2003/dev.conll --model "$OUT/train-only.swner" > "$OUT/dev.pred"
echo "== CoNLL-2003 test"
taskset -c 0 "$BIN" eval ner $EVAL/conll2003/test.conll > "$OUT/test.pred"
echo "== speed: CoNLL-2003 train (204k tokens), one core"
taskset -c 0 "$BIN" eval ner $EVAL/conll2003/train.conll 2>&1 >/dev/null | tail -1
echo "== WNUT-17 test (other types: scored untyped, and with PER→person, LOC→location, ORG→corporation)"
"$BIN" eval ner $EVAL/wnut17/test.conll > "$OUT/wnut.pred" 2>/dev/null

PY=.venv-peers/bin/python
[ -x "$PY" ] || PY=python3  # ner_score.py needs nothing beyond the standard library
if command -v "$PY" >/dev/null; then
    echo "== seqeval (peers' ner_score.py): dev (held out), then test"
    $PY ../shared/eval/peers/scripts/ner_score.py $EVAL/conll2003/dev.conll "$OUT/dev.pred" | tail -1
    $PY ../shared/eval/peers/scripts/ner_score.py $EVAL/conll2003/test.conll "$OUT/test.pred"
    echo "-- WNUT-17 untyped"
    $PY ../shared/eval/peers/scripts/ner_score.py $EVAL/wnut17/test.conll "$OUT/wnut.pred" --untyped | tail -1
    sed -e 's/-PER$/-person/' -e 's/-LOC$/-location/' -e 's/-ORG$/-corporation/' -e 's/\t[BI]-MISC$/\tO/' "$OUT/wnut.pred" > "$OUT/wnut.mapped"
    echo "-- WNUT-17 typed (mapped)"
    $PY ../shared/eval/peers/scripts/ner_score.py $EVAL/wnut17/test.conll "$OUT/wnut.mapped"
fi
