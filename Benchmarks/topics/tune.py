#!/usr/bin/env python3
"""Grid search of tracker keys on a dev stream (stdlib only). Tune on dev only.

  tune.py nsd   DEV.jsonl key=v1,v2 key=v1,v2 ...   ranks settings by C_det on new-story detection
  tune.py shift DEV.jsonl [DEV2.jsonl ...] -- key=v1,v2 ...
                                                   ranks settings by mean topic-shift F1 over the streams

Runs `seedwatch eval topics` (SEEDWATCH_BIN, default .build/release/seedwatch) once per setting.
"""
import itertools, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("SEEDWATCH_BIN", ".build/release/seedwatch")


def run(stream, sets):
    cmd = [BIN, "eval", "topics", stream] + [a for s in sets for a in ("--set", s)]
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as out:
        subprocess.run(cmd, stdout=out, check=True)
        return out.name


def score(kind, gold, pred):
    out = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), kind, gold, pred],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(pred)
    return json.loads(out)


def main():
    kind = sys.argv[1]
    args = sys.argv[2:]
    if "--" in args:
        split = args.index("--")
        streams, grid = args[:split], args[split + 1:]
    else:
        streams, grid = args[:1], args[1:]
    keys = [g.split("=")[0] for g in grid]
    values = [g.split("=")[1].split(",") for g in grid]
    results = []
    for combo in itertools.product(*values):
        sets = [f"{k}={v}" for k, v in zip(keys, combo)]
        scores = [score(kind, s, run(s, sets)) for s in streams]
        if kind == "nsd":
            key = scores[0]["cdet_norm"]
        else:
            key = -sum(x["f1"] for x in scores) / len(scores)
        results.append((key, sets, scores))
        print(key, " ".join(sets), json.dumps(scores), flush=True)
    print("best:")
    for r in sorted(results, key=lambda r: r[0])[:5]:
        print(r[0], " ".join(r[1]), json.dumps(r[2]))


if __name__ == "__main__":
    main()
