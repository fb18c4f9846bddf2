#!/usr/bin/env python3
"""Builds the shipped background document-frequency model for the topics processor.

Why: the tracker's IDF learns online, but the first documents of a stream need sensible weights.
The model holds statistics only (lower-cased word -> number of documents containing it, words seen
in at least MIN_DF documents), never sentences. Sources (dev/train splits only):
  - BBC News Summary articles listed in summ/dev_ids.txt (one document each);
  - CoNLL-2003 train sentences (Reuters), grouped in runs of 14 sentences as pseudo-documents
    (the file has no document boundaries).

Usage: python3 Benchmarks/topics/build_idf.py [../shared/eval] > Sources/SeedwatchProcessors/Resources/topics_background_df.tsv
"""
import json, os, re, sys

MIN_DF = 3
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)


def words(text):
    out = set()
    for match in WORD.finditer(text.lower()):
        w = match.group(0).replace("'", "").replace("\u2019", "")
        if len(w) >= 2 and not w.isdigit():
            out.add(w)
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/eval")
    df, n = {}, 0
    dev = set(open(os.path.join(root, "summ/dev_ids.txt")).read().split())
    for line in open(os.path.join(root, "summ/bbc_news_summary.jsonl"), encoding="utf-8"):
        row = json.loads(line)
        if row["id"] not in dev:
            continue
        n += 1
        for w in words(row.get("title", "") + "\n" + row["text"]):
            df[w] = df.get(w, 0) + 1
    sentence, group, count = [], [], 0
    def flush():
        nonlocal n, group
        if group:
            n += 1
            for w in words(" ".join(group)):
                df[w] = df.get(w, 0) + 1
        group = []
    for line in open(os.path.join(root, "ner/conll2003/train.conll"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            group.append(" ".join(sentence)); sentence = []; count += 1
            if count % 14 == 0:
                flush()
            continue
        sentence.append(line.split("\t")[0])
    if sentence:
        group.append(" ".join(sentence))
    flush()
    print(f"#documents\t{n}")
    for w in sorted(df):
        if df[w] >= MIN_DF:
            print(f"{w}\t{df[w]}")


if __name__ == "__main__":
    main()
