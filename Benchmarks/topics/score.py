#!/usr/bin/env python3
"""Scores `seedwatch eval topics` output against the labelled topic streams (stdlib only).

  score.py nsd GOLD.jsonl PRED.jsonl      new-story detection: miss rate, false-alarm rate, normalised C_det
  score.py shift GOLD.jsonl PRED.jsonl    topic shift: P/R/F1 of topic_shift alerts within +-TOL documents
  score.py baseline GOLD.jsonl [--threshold T | --sweep]
                                          TF-IDF nearest-neighbour new-story baseline (online IDF, all
                                          earlier headlines); --sweep prints C_det per threshold

Lines are matched by position (the n-th prediction is the n-th gold line). C_det follows the TDT
convention in ../shared/eval/README.md: C = 1.0*P_miss*P_t + 0.1*P_fa*(1-P_t), normalised by
min(1.0*P_t, 0.1*(1-P_t)).
"""
import argparse, json, math, re, sys

WORD = re.compile(r"[^\W_]+", re.UNICODE)


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cdet(gold_flags, pred_flags):
    targets = sum(gold_flags)
    non = len(gold_flags) - targets
    misses = sum(1 for g, p in zip(gold_flags, pred_flags) if g and not p)
    fas = sum(1 for g, p in zip(gold_flags, pred_flags) if p and not g)
    p_miss = misses / targets if targets else 0.0
    p_fa = fas / non if non else 0.0
    pt = targets / len(gold_flags)
    cost = 1.0 * p_miss * pt + 0.1 * p_fa * (1 - pt)
    norm = cost / min(1.0 * pt, 0.1 * (1 - pt))
    return dict(docs=len(gold_flags), targets=targets, misses=misses, false_alarms=fas,
                p_miss=round(p_miss, 4), p_fa=round(p_fa, 4), cdet_norm=round(norm, 4))


def nsd(args):
    gold, pred = read(args.gold), read(args.pred)
    if len(gold) != len(pred):
        sys.exit(f"length mismatch: {len(gold)} gold, {len(pred)} predicted")
    g = [bool(r["first_of_story"]) for r in gold]
    p = ["new_topic" in r["alerts"] for r in pred]
    print(json.dumps(cdet(g, p)))


def shift(args):
    gold, pred = read(args.gold), read(args.pred)
    if len(gold) != len(pred):
        sys.exit(f"length mismatch: {len(gold)} gold, {len(pred)} predicted")
    truth = [i for i, r in enumerate(gold) if r.get("is_change")]
    found = [i for i, r in enumerate(pred) if "topic_shift" in r["alerts"]]
    used, hits = set(), 0
    for f in found:  # greedy one-to-one matching, nearest change point first
        cands = sorted((abs(f - t), t) for t in truth if abs(f - t) <= args.tolerance and t not in used)
        if cands:
            used.add(cands[0][1])
            hits += 1
    p = hits / len(found) if found else 0.0
    r = hits / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(json.dumps(dict(changes=len(truth), alerts=len(found), hits=hits,
                          precision=round(p, 4), recall=round(r, 4), f1=round(f1, 4))))


def nn_similarities(rows):
    """Max cosine of each headline with any earlier one (TF-IDF, online IDF, inverted index)."""
    df, postings, vectors, sims = {}, {}, [], []
    for n, row in enumerate(rows):
        words = [w for w in WORD.findall((row.get("title") or row.get("text") or "").lower()) if len(w) > 1]
        tf = {}
        for w in words:
            tf[w] = tf.get(w, 0) + 1
        for w in tf:
            df[w] = df.get(w, 0) + 1
        vec = {w: (1 + math.log(c)) * math.log((n + 2) / (df[w] + 1)) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {w: v / norm for w, v in vec.items()}
        scores = {}
        for w, v in vec.items():
            for j in postings.get(w, ()):
                scores[j] = scores.get(j, 0.0) + v * vectors[j].get(w, 0.0)
        sims.append(max(scores.values(), default=0.0))
        for w in vec:
            postings.setdefault(w, []).append(n)
        vectors.append(vec)
    return sims


def baseline(args):
    gold = read(args.gold)
    g = [bool(r["first_of_story"]) for r in gold]
    sims = nn_similarities(gold)
    if args.sweep:
        for t in [x / 100 for x in range(5, 96, 5)]:
            print(json.dumps(dict(threshold=t, **cdet(g, [s < t for s in sims]))))
    else:
        print(json.dumps(dict(threshold=args.threshold, **cdet(g, [s < args.threshold for s in sims]))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("nsd"); a.add_argument("gold"); a.add_argument("pred"); a.set_defaults(fn=nsd)
    b = sub.add_parser("shift"); b.add_argument("gold"); b.add_argument("pred")
    b.add_argument("--tolerance", type=int, default=2); b.set_defaults(fn=shift)
    c = sub.add_parser("baseline"); c.add_argument("gold")
    c.add_argument("--threshold", type=float, default=0.5); c.add_argument("--sweep", action="store_true")
    c.set_defaults(fn=baseline)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
