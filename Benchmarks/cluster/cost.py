#!/usr/bin/env python3
"""What one document costs a PostgreSQL cluster's database: statements (round trips), transactions and WAL
bytes per document, and documents per second, for 1, 2 or 3 nodes on one folder. Python 3 stdlib only.

  python3 Benchmarks/cluster/cost.py [--files 500] [--nodes 1]

A throwaway PostgreSQL 15 with pg_stat_statements; `SEEDWATCH_BIN` (default .build/release/seedwatch, with
seedwatch-cluster beside it). The documents are generated stories (Benchmarks/torture), written at once after
the nodes are READY; the clock runs from the first write to the last ledger row.
"""
import argparse, os, random, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "torture"))
import cluster  # noqa: E402
import torture  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", type=int, default=500)
    p.add_argument("--nodes", type=int, default=1, choices=(1, 2, 3))
    a = p.parse_args()
    torture.BIN = os.environ.get("SEEDWATCH_BIN", os.path.join(cluster.ROOT, ".build/release/seedwatch"))
    if not os.path.exists(cluster.PG_BIN + "/initdb"):
        print("SKIP: no PostgreSQL server binaries (apt-get install postgresql)")
        return 0
    pg = cluster.Postgres(extra="-c shared_preload_libraries=pg_stat_statements")
    base = cluster.tempfile.mkdtemp(prefix="seedwatch-cost-")
    nodes = []
    try:
        pg.sql("CREATE EXTENSION pg_stat_statements", "seedwatch")
        watch = os.path.join(base, "watch")
        os.makedirs(watch)
        for name in "abc"[:a.nodes]:
            dirs = torture.Dirs(os.path.join(base, name))
            os.rmdir(dirs.watch)
            os.symlink(watch, dirs.watch)
            nodes.append(torture.Daemon(dirs, ["--set", f"database.url={pg.url}", "--set", f"node.name={name}"], os.path.join(base, name + ".log")))
        for d in nodes:
            d.start(ready_timeout=120)
        torture.wait_for(lambda: cluster.leader(pg)[2], 30)
        rng, stories = random.Random(1), torture.StoryStream(random.Random(2))
        docs = [torture.doc_text(rng, i, stories.next_topic()) for i in range(a.files)]

        def counters():
            row = pg.sql("SELECT (SELECT SUM(calls) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'seedwatch'), "
                         "(SELECT xact_commit FROM pg_stat_database WHERE datname = 'seedwatch'), pg_current_wal_lsn() - '0/0'::pg_lsn", "seedwatch")
            return [float(x) for x in row.strip().split("|")]
        before = counters()
        started = time.monotonic()
        for i, data in enumerate(docs):
            tmp = os.path.join(watch, f".doc-{i:05d}.part")
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(watch, f"doc-{i:05d}.txt"))
        torture.wait_for(lambda: int(pg.sql("SELECT COUNT(*) FROM files", "seedwatch")) >= a.files, 600, 0.1)
        seconds = time.monotonic() - started
        after = counters()
        cpu = []
        for d in nodes:
            with open(f"/proc/{d.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
        # Heartbeats ran meanwhile too (3 statements a third of a lease per node): counted, they are part of the cost.
        n = a.files
        print(f"nodes {a.nodes}, {n} documents in {seconds:.1f} s: {n / seconds:.0f} docs/s; per document: "
              f"{(after[0] - before[0]) / n:.1f} statements, {(after[1] - before[1]) / n:.1f} transactions, "
              f"{(after[2] - before[2]) / n / 1024:.1f} KiB of WAL; CPU seconds by node since start: "
              + ", ".join(f"{c:.1f}" for c in cpu))
    finally:
        for d in nodes:
            if d.alive():
                d.term()
        pg.stop()
        cluster.shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
