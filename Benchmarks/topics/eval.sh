#!/bin/sh
# Reproduces the topic figures in docs/TOPICS.md. Run from the package root after
# `swift build -c release`. Reads ../shared/eval/topics; writes predictions and generated
# streams under $OUT (never into the repository: the streams hold BBC text).
set -eu
BIN=${SEEDWATCH_BIN:-.build/release/seedwatch}
E=${EVAL_TOPICS:-../shared/eval/topics}
OUT=${OUT:-/tmp/seedwatch-topics}
HERE=$(dirname "$0")
mkdir -p "$OUT"

echo "== new-story detection, UCI headlines (tracker defaults; tuned on dev)"
for split in dev test; do
  "$BIN" eval topics "$E/uci_headlines_$split.jsonl" > "$OUT/uci_$split.jsonl"
  printf '%s tracker  ' "$split"; python3 "$HERE/score.py" nsd "$E/uci_headlines_$split.jsonl" "$OUT/uci_$split.jsonl"
done
echo "== baseline: TF-IDF nearest neighbour, threshold 0.15 (best C_det on dev by --sweep)"
for split in dev test; do
  printf '%s baseline ' "$split"; python3 "$HERE/score.py" baseline "$E/uci_headlines_$split.jsonl" --threshold 0.15
done

echo "== topic shift, BBC block streams, +-2 documents"
echo "-- tuned on: bbc_stream_dev and regenerated orders with seeds 1-4"
"$BIN" eval topics "$E/bbc_stream_dev.jsonl" > "$OUT/bbc_dev.pred"
printf 'dev      '; python3 "$HERE/score.py" shift "$E/bbc_stream_dev.jsonl" "$OUT/bbc_dev.pred"
for seed in 1 2 3 4 11 12 13 14 15 21 22 23 24 25 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 \
    101 102 103 104 105 106 107 108 109 110 201 202 203 204 205 206 207 208 209 210 211 212 213 214 215 216 217 218 219 220 \
    301 302 303 304 305 306 307 308 309 310 311 312 313 314 315 316 317 318 319 320 \
    401 402 403 404 405 406 407 408 409 410 411 412 413 414 415 416 417 418 419 420; do
  [ "$seed" = 11 ] && echo "-- seeds 11-15 and 21-25: held out for older defaults, seen since"
  [ "$seed" = 31 ] && echo "-- tuned on for the current defaults: seeds 31-50"
  [ "$seed" = 101 ] && echo "-- held out for the previous defaults (not tuned on for the current ones): seeds 101-110"
  [ "$seed" = 201 ] && echo "-- held out for the current defaults (picked before tuning, evaluated once): seeds 201-220"
  [ "$seed" = 301 ] && echo "-- held out for the run-split experiment (picked before it was run): seeds 301-320"
  [ "$seed" = 401 ] && echo "-- held out for the split's flip-flop guard (picked before tuning, evaluated once): seeds 401-420"
  python3 "$HERE/make_streams.py" "$E/bbc_stream_dev.jsonl" "$seed" > "$OUT/bbc_seed$seed.jsonl"
  "$BIN" eval topics "$OUT/bbc_seed$seed.jsonl" > "$OUT/bbc_seed$seed.pred"
  printf 'seed %-3s ' "$seed"; python3 "$HERE/score.py" shift "$OUT/bbc_seed$seed.jsonl" "$OUT/bbc_seed$seed.pred"
done

echo "== seed story, every order of ../shared/seeds"
python3 "$HERE/seed_orders.py" "${SEEDS:-../shared/seeds}"
