#!/usr/bin/env python3
"""seedwatch kill -9 torture with `ingest.after` move or delete (Python 3 stdlib only).

Streams documents into the watch folder (as `torture.py crash` does: in place or renamed in, ~5 %
repeated content under a new name, ~2 % empty, ~2 % binary) while the daemon, started with
`ingest.after=<mode>`, is SIGKILLed at random moments. Then it starts the daemon once more, waits until
every input is accounted for and the watch folder is empty, stops it (exit 0 required) and checks:

- torture.py's invariant: exactly one result or one quarantine record per input, complete, ledger agrees;
- where each input ended: processed and duplicate inputs in done/<name> with their content (move) or
  gone (delete), never a second copy (`<name>-1`, which a move done twice would give) and never still
  in the watch folder; quarantined inputs in quarantine/files/<name> with their content, the record's
  `moved_to` naming it (under both modes: a quarantined input is never deleted);
- no `.tmp-` file left in done/ or quarantine/files/.

Usage: dispose.py --after move|delete [--files 400] [--kills 40] [--seed N] [--writer-seconds 20]
"""
import argparse, os, random, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torture  # noqa: E402
from torture import Daemon, Dirs, FAST, log, read_records, check_exactly_once, report  # noqa: E402


def remaining(dirs):
    return [n for n in os.listdir(dirs.watch) if not n.startswith(".")]


def check_dispositions(dirs, done, inputs, contents, mode):
    problems = []
    results, quarantine, _, _ = read_records(dirs)
    files = os.path.join(dirs.quarantine, "files")
    in_done = set(os.listdir(done)) if os.path.isdir(done) else set()
    in_files = set(os.listdir(files)) if os.path.isdir(files) else set()
    left = set(remaining(dirs))
    for name, data in contents.items():
        stem, ext = os.path.splitext(name)
        if name in left:
            problems.append(f"{name!r} is still in the watch folder")
        for folder, names in (("done", in_done), ("quarantine/files", in_files)):
            extra = [n for n in names if n.startswith(stem + "-") and n.endswith(ext)]
            if extra:
                problems.append(f"{name!r} has more than one copy in {folder}: {extra}")
        if name in quarantine:
            record = quarantine[name][0]
            where = os.path.join(files, name)
            if record.get("moved_to") != where:
                problems.append(f"{name!r}: quarantine record moved_to={record.get('moved_to')!r}, expected {where!r}")
            if name not in in_files:
                problems.append(f"{name!r} quarantined but not in quarantine/files")
            elif open(where, "rb").read() != data:
                problems.append(f"{name!r}: quarantine/files copy differs from the input")
            if name in in_done:
                problems.append(f"{name!r} quarantined and in done/")
        elif name in results:
            if name in in_files:
                problems.append(f"{name!r} has a result and is in quarantine/files")
            if mode == "move":
                if name not in in_done:
                    problems.append(f"{name!r} processed but not in done/")
                elif open(os.path.join(done, name), "rb").read() != data:
                    problems.append(f"{name!r}: done/ copy differs from the input")
            elif name in in_done:
                problems.append(f"{name!r} in done/ with ingest.after=delete")
    for folder, names in (("done", in_done), ("quarantine/files", in_files)):
        temps = [n for n in names if n.startswith(".tmp-")]
        if temps:
            problems.append(f"{len(temps)} temporary files left in {folder}: {temps[:3]}")
    figures = dict(in_done=len(in_done), in_quarantine_files=len(in_files), left_in_watch=len(left))
    return figures, problems


def main(a):
    seed = a.seed if a.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    log(f"dispose: after={a.after} seed={seed} files={a.files} kills={a.kills}  (replay: --after {a.after} --seed {seed})")
    base = tempfile.mkdtemp(prefix=f"sw-dispose-{a.after}-", dir=a.tmp)
    dirs = Dirs(base)
    done = os.path.join(base, "done")
    extra = ["--set", "log.target=stderr", "--set", f"ingest.after={a.after}", "--set", f"ingest.done_folder={done}"] + FAST
    d = Daemon(dirs, extra, os.path.join(base, "daemon.log"))
    run = torture.KilledRun(d, dirs, a, seed)
    inputs = run.inputs
    t0 = time.monotonic()
    kills, ok, rc = run.kill_and_drain(rng, lambda: torture.accounted(dirs, inputs)() and not remaining(dirs),
                                       lambda kills: f"{len(remaining(dirs))} still in the watch folder", every=20)
    contents = run.written
    figures, problems = check_exactly_once(dirs, dict(inputs))
    where, misplaced = check_dispositions(dirs, done, inputs, dict(contents), a.after)
    figures.update(where)
    figures.update(after=a.after, kills=kills, seed=seed, final_exit=rc, seconds=round(time.monotonic() - t0, 1), all_disposed=ok)
    return report(f"dispose-{a.after}", figures, problems + misplaced, base, a.keep)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tmp", default=os.environ.get("TORTURE_TMP", "/tmp"))
    p.add_argument("--keep", action="store_true")
    p.add_argument("--after", choices=["move", "delete"], required=True)
    p.add_argument("--files", type=int, default=400)
    p.add_argument("--kills", type=int, default=40)
    p.add_argument("--seed", type=int)
    p.add_argument("--max-uptime", type=float, default=0.6)
    p.add_argument("--writer-seconds", type=float, default=20)
    p.add_argument("--drain-timeout", type=float, default=300)
    sys.exit(main(p.parse_args()))
