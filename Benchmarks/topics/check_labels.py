#!/usr/bin/env python3
"""Checks topic labels on `seedwatch process --json` output (docs/TOPICS.md, "Labels").

Every word of every `results.topics.label` must occur, with its case, as a word of some document
of its topic: the documents are read from the paths in the output, and entity names from the
`entities` results count as text of their document. A word is a run of letters, digits,
apostrophes and hyphens, taken as written and without a possessive "'s" or edge apostrophes and
hyphens; a hyphenated word also counts by its parts.

    .build/release/seedwatch process --json DIR/*.txt | python3 Benchmarks/topics/check_labels.py
"""
import json
import re
import sys

EDGE = "'\u2019-"


def words(text):
    out = set()
    for token in re.findall(r"[\w'\u2019-]+", text):
        out.add(token)
        word = token.rstrip(EDGE)
        for suffix in ("'s", "\u2019s", "'S", "\u2019S"):
            if word.endswith(suffix):
                word = word[:-2]
        word = word.strip(EDGE)
        out.add(word)
        out.update(word.split("-"))
    return out


def main():
    topic_words = {}
    labels = missing = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        result = json.loads(line)
        topics = result.get("results", {}).get("topics")
        if not topics:
            continue
        with open(result["source"]["path"], encoding="utf-8", errors="replace") as f:
            text = f.read()
        entities = (result.get("results", {}).get("entities") or {}).get("entities", [])
        names = "\n".join(e.get("name", "") for e in entities)
        topic_words.setdefault(topics["topic"], set()).update(words(text + "\n" + names))
        labels += 1
        for word in topics["label"].split():
            if word not in topic_words[topics["topic"]]:
                missing += 1
                print(f"missing: {result['source']['path']} {topics['topic']} {word!r} of {topics['label']!r}")
    print(f"{labels} labels, {missing} label words not found in a document of their topic")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
