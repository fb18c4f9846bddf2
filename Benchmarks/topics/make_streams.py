#!/usr/bin/env python3
"""Regenerates BBC category-block streams in new orders, for scoring topic shift on orders that
were never tuned on (stdlib only).

  make_streams.py SOURCE.jsonl SEED > OUT.jsonl

Takes the documents of bbc_stream_dev.jsonl, shuffles each category with the seed, and deals them
into single-category blocks of 8-30 documents (as the source stream is built), never the same
category twice in a row. Writes `pos`, `id`, `category`, `block`, `is_change`, `text`, the fields
`seedwatch eval topics` and `score.py shift` read. Output stays outside the repository (it holds
BBC text): write it under /tmp or ../shared-free scratch space.
"""
import json, random, sys


def main():
    source, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    by_cat = {}
    for line in open(source, encoding="utf-8"):
        row = json.loads(line)
        by_cat.setdefault(row["category"], []).append(row)
    for rows in by_cat.values():
        rng.shuffle(rows)
    pos, block, last = 0, 0, None
    while any(by_cat.values()):
        cats = [c for c, rows in by_cat.items() if rows and c != last] or [c for c, rows in by_cat.items() if rows]
        # Favour categories with more documents left so the stream does not end in one long block.
        cat = rng.choices(cats, weights=[len(by_cat[c]) for c in cats])[0]
        size = min(rng.randint(8, 30), len(by_cat[cat]))
        for k in range(size):
            row = by_cat[cat].pop()
            print(json.dumps(dict(pos=pos, id=row["id"], category=cat, block=block,
                                  is_change=(k == 0 and pos > 0 and cat != last), text=row["text"])))
            pos += 1
        last, block = cat, block + 1


if __name__ == "__main__":
    main()
