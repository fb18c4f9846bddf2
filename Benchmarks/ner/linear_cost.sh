#!/usr/bin/env bash
# Cost of the `entities` processor on 1, 2 and 4 MB of names in one paragraph (the worst case:
# every token is part of a name, no line to drop): time and memory should grow linearly.
# Usage (from the package root): Benchmarks/ner/linear_cost.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.build/release/seedwatch
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
swift build -c release --static-swift-stdlib -Xswiftc -warnings-as-errors --product seedwatch >/dev/null 2>&1
python3 - "$DIR" <<'PY'
import sys
first = ["Vladimir", "Ahmed", "Bashar", "Sergei", "Dmitry", "Maria", "John", "Angela", "Recep", "Emmanuel", "Olaf", "Xi",
         "Narendra", "Joe", "Rishi", "Fumio", "Luiz", "Cyril", "Anthony", "Kamala", "Ursula", "Jens", "Volodymyr"]
last = ["Putin", "al-Sharaa", "al-Assad", "Lavrov", "Peskov", "Smith", "Merkel", "Erdogan", "Macron", "Scholz", "Jinping",
        "Modi", "Biden", "Sunak", "Kishida", "da Silva", "Ramaphosa", "Blinken", "Harris", "von der Leyen", "Stoltenberg",
        "Zelensky", "Tartous", "Moscow", "Damascus"]
for mb in (1, 2, 4):
    parts, size, i = [], 0, 0
    while size < mb * 1_000_000:
        s = first[i % len(first)] + " " + last[(i * 7 + i // 23) % len(last)] + (". " if i % 13 == 12 else ", ")
        parts.append(s); size += len(s.encode()); i += 1
    open(f"{sys.argv[1]}/names{mb}.txt", "w").write("".join(parts))
PY
for mb in 1 2 4; do
    /usr/bin/time -f "$mb MB: %e s wall, %U s user, %M KB max RSS" \
        "$BIN" process --processors entities --json "$DIR/names$mb.txt" > "$DIR/out$mb.json"
done
