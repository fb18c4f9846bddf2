#!/usr/bin/env bash
# End-to-end speed of the `entities` processor (text foundation + tagger + rules + merging +
# registry) through `seedwatch process`, on the 2225 BBC News articles written to a temporary
# folder (never into the repository). One core. Usage (from the package root):
#   Benchmarks/ner/process_speed.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.build/release/seedwatch
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
swift build -c release --static-swift-stdlib -Xswiftc -warnings-as-errors --product seedwatch >/dev/null 2>&1
python3 - "$DIR" <<'PY'
import json, sys, os
out = sys.argv[1]
for i, line in enumerate(open('../shared/eval/summ/bbc_news_summary.jsonl', encoding='utf-8')):
    a = json.loads(line)
    with open(os.path.join(out, f'{i:04d}.txt'), 'w', encoding='utf-8') as f:
        f.write(a['title'] + '\n\n' + a['text'])
PY
BYTES=$(cat "$DIR"/*.txt | wc -c)
START=$(date +%s.%N)
taskset -c 0 "$BIN" process --processors entities --json "$DIR"/*.txt > "$DIR/out.jsonl"
END=$(date +%s.%N)
python3 - "$DIR/out.jsonl" "$BYTES" "$START" "$END" <<'PY'
import json, sys
docs = ents = 0
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    docs += 1
    ents += len(r.get('results', {}).get('entities', {}).get('entities', []))
secs = float(sys.argv[4]) - float(sys.argv[3])
mb = int(sys.argv[2]) / 1e6
print(f"{docs} documents, {mb:.1f} MB, {ents} entities in {secs:.2f} s: {docs/secs:.0f} docs/s, {mb/secs:.2f} MB/s (one core, process start and model load included)")
PY
