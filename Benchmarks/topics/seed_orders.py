#!/usr/bin/env python3
"""Runs `seedwatch eval topics` over every order of the seed articles (stdlib only).

  seed_orders.py [SEEDS_DIR]      default ../shared/seeds

For each permutation: counts new_topic and topic_shift alerts, then appends an unrelated article
(written for this check, not taken from any corpus) and checks that it raises an alert. Prints a
summary line; exits 1 if any order fails. The streams are written to a temporary directory only.
"""
import itertools, json, os, subprocess, sys, tempfile

BIN = os.environ.get("SEEDWATCH_BIN", ".build/release/seedwatch")
UNRELATED = ("Village orchard keeps rare apple varieties alive\n\nVolunteers have spent the autumn "
             "grafting cuttings from forty old apple varieties onto young rootstock in a community "
             "orchard. Cider makers, beekeepers and pupils tend the rows; the group presses juice at a "
             "harvest fair and sells young trees to pay for fencing against deer.")


def main():
    seeds = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/seeds")
    files = sorted(os.path.join(seeds, f) for f in os.listdir(seeds) if f.endswith(".txt"))
    texts = {f: open(f, encoding="utf-8").read() for f in files}
    ok = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        stream = os.path.join(tmp, "seeds.jsonl")
        for order in itertools.permutations(files):
            with open(stream, "w", encoding="utf-8") as out:
                for f in order:
                    out.write(json.dumps({"id": os.path.basename(f), "text": texts[f]}) + "\n")
                out.write(json.dumps({"id": "unrelated", "text": UNRELATED}) + "\n")
            rows = [json.loads(l) for l in subprocess.run([BIN, "eval", "topics", stream], capture_output=True,
                                                          text=True, check=True).stdout.splitlines()]
            seed_alerts = [a for r in rows[:-1] for a in r["alerts"]]
            good = (seed_alerts.count("new_topic") == 1 and "topic_shift" not in seed_alerts
                    and len({r["topic"] for r in rows[:-1]}) == 1 and len(rows[-1]["alerts"]) > 0)
            ok += good
            total += 1
            if not good:
                print("FAILED order:", [os.path.basename(f) for f in order], json.dumps(rows))
    print(f"{ok}/{total} orders: one new_topic, no topic_shift, one story; unrelated article raises an alert")
    sys.exit(0 if ok == total else 1)


if __name__ == "__main__":
    main()
