#!/usr/bin/env python3
"""Three seedwatch daemons on one PostgreSQL and one watch folder, killed -9 at random (the leader included)
and the leader once paused (SIGSTOP) past its lease, while documents stream in. Python 3 stdlib only.

  python3 Benchmarks/torture/cluster.py [--files 1000] [--kills 20] [--lease-ms 1000] [--seed N] [--keep]

Needs the PostgreSQL 15 server binaries (Debian `postgresql`) and a debug or release build with
`seedwatch-cluster` beside `seedwatch` (`SEEDWATCH_BIN`, default `.build/debug/seedwatch`). Checks at the end:
- every input is in the cluster's ledger (`files`), with exactly one row `processed` per distinct readable
  content (the rest `duplicate` of it, or quarantined): none lost, none completed twice;
- each alert once in the database, and once across the three nodes' `alerts.jsonl`;
- every failover (kill of the leader, the pause) ended with a new leader within 2 x the lease plus one heartbeat;
- one arrival order: the processed documents' `results.topics.sequence` are 0, 1, 2, ... with no gap or repeat,
  and a document whose result two nodes wrote (its node killed before its ledger row) has the same topics in both;
- the same decisions as one node: `seedwatch process` fed the same files in that order (one process, its own
  state) gives every document the same topic, label, theme, near-duplicate and alerts as the cluster did.
"""
import argparse, collections, hashlib, json, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torture  # noqa: E402  (Daemon, Dirs, doc_text, StoryStream, log)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_BIN = "/usr/lib/postgresql/15/bin"
log = torture.log


class Postgres:
    """A throwaway server as the `postgres` user (initdb refuses root), on loopback, fsync off."""
    def __init__(self, extra=""):
        self.dir = tempfile.mkdtemp(prefix="seedwatch-cluster-pg-")
        shutil.chown(self.dir, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        subprocess.run(as_owner + [PG_BIN + "/initdb", "-D", self.dir + "/data", "-A", "trust", "-U", "seedwatch",
                                   "-E", "UTF8", "--locale=C", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        subprocess.run(as_owner + [PG_BIN + "/pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "-o",
                                   f"-k {self.dir} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off {extra}", "start"], check=True,
                       stdout=subprocess.DEVNULL)
        self.as_owner = as_owner
        self.sql("CREATE DATABASE seedwatch")
        self.url = f"postgres://seedwatch@127.0.0.1:{self.port}/seedwatch"

    def sql(self, text, database="postgres"):
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                              "-U", "seedwatch", "-d", database, "-c", text], check=True, capture_output=True, text=True)
        return out.stdout

    def stop(self):
        subprocess.run(self.as_owner + [PG_BIN + "/pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def leader(pg):
    row = pg.sql("SELECT node || ' ' || term || ' ' || (lease_until > now())::text FROM leader", "seedwatch").split()
    return (row[0], int(row[1]), row[2] == "true") if len(row) == 3 else (None, 0, False)


def decisions(topics):
    """What must not depend on which node decided: the alerts' paths name each node's own watch folder."""
    alerts = [(x.get("class"), x.get("topic_id"), x.get("previous_topic_id"), x.get("similarity"), x.get("document_id"))
              for x in topics.get("alerts", [])]
    return (topics.get("topic"), topics.get("label"), topics.get("similarity"), topics.get("theme"),
            topics.get("near_duplicate_of"), topics.get("sequence"), alerts)


def check_arrival_order(nodes, inputs, base):
    """The cluster's arrival order is the topics' `sequence`; one process fed that order must decide the same."""
    problems, placed = [], {}
    for name, d in nodes.items():
        for entry in sorted(os.listdir(d.dirs.outbox)):
            if not entry.endswith(".json"):
                continue
            with open(os.path.join(d.dirs.outbox, entry), "rb") as f:
                doc = json.loads(f.read())
            topics = (doc.get("results") or {}).get("topics")
            if doc.get("status") != "processed" or not isinstance(topics, dict):
                continue
            source = os.path.basename(doc["source"]["path"])
            earlier = placed.get(doc["id"])
            if earlier and decisions(earlier[1]) != decisions(topics):
                problems.append(f"{doc['id']}: nodes {earlier[2]} and {name} wrote different topics: {decisions(earlier[1])} / {decisions(topics)}")
            placed.setdefault(doc["id"], (source, topics, name))
    order = sorted(placed.items(), key=lambda item: (item[1][1].get("sequence") is None, item[1][1].get("sequence") or 0))
    sequences = [topics.get("sequence") for _, (_, topics, _) in order]
    if sequences != list(range(len(order))):
        gaps = sorted(set(range(len(order))) - set(s for s in sequences if isinstance(s, int)))
        problems.append(f"the arrival order has gaps or repeats: {len(order)} documents, missing {gaps[:5]}, "
                        f"repeated {[s for s, n in collections.Counter(sequences).items() if n > 1][:5]}")
        return problems
    # One node, the same documents under the same names, in the cluster's order.
    replay = os.path.join(base, "replay")
    os.makedirs(os.path.join(replay, "state"))
    paths = []
    for _, (source, _, _) in order:
        path = os.path.join(replay, source)
        with open(path, "wb") as f:
            f.write(inputs[source])
        paths.append(path)
    started = time.monotonic()
    out = subprocess.run([torture.BIN, "process", "--json", "--set", f"state={replay}/state"] + paths,
                         capture_output=True, check=False)
    if out.returncode != 0:
        return problems + [f"the single-node replay exited {out.returncode}: {out.stderr.decode(errors='replace')[-500:]}"]
    replayed = {}
    for line in out.stdout.splitlines():
        if line.strip():
            doc = json.loads(line)
            replayed[doc["id"]] = doc["results"]["topics"]
    differ = [doc_id for doc_id, (_, topics, _) in order if doc_id not in replayed or decisions(replayed[doc_id]) != decisions(topics)]
    if differ:
        first = differ[0]
        problems.append(f"{len(differ)} of {len(order)} documents decided otherwise by one node fed the cluster's order; "
                        f"first {first}: cluster {decisions(placed[first][1])}, one node {decisions(replayed[first]) if first in replayed else None}")
    alerts = sum(len(topics.get("alerts", [])) for _, (_, topics, _) in order)
    log(f"arrival order: {len(order)} documents, sequence 0..{len(order) - 1}; one node fed that order: "
        f"{len(order) - len(differ)} decided the same ({alerts} alerts), replay {time.monotonic() - started:.0f} s")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", type=int, default=1000)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--lease-ms", type=int, default=1000)
    p.add_argument("--writer-seconds", type=float, default=40)
    p.add_argument("--seed", type=int)
    p.add_argument("--keep", action="store_true", help="keep the folders (printed) after a pass")
    a = p.parse_args()
    torture.BIN = os.environ.get("SEEDWATCH_BIN", os.path.join(ROOT, ".build/debug/seedwatch"))
    if not os.path.exists(os.path.join(os.path.dirname(torture.BIN), "seedwatch-cluster")):
        raise SystemExit(f"no seedwatch-cluster beside {torture.BIN}: swift build --product seedwatch-cluster (or make cluster)")
    if not os.path.exists(PG_BIN + "/initdb"):
        print("SKIP: no PostgreSQL server binaries (apt-get install postgresql)")
        return 0
    seed = a.seed if a.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    log(f"cluster torture: seed {seed}, {a.files} files, {a.kills} kills, lease {a.lease_ms} ms, binary {torture.BIN}")
    base = tempfile.mkdtemp(prefix="seedwatch-cluster-")
    pg = Postgres()
    problems, nodes = [], {}
    try:
        watch = os.path.join(base, "watch")
        os.makedirs(watch)
        for name in ("a", "b", "c"):
            dirs = torture.Dirs(os.path.join(base, name))
            shutil.rmtree(dirs.watch)
            os.symlink(watch, dirs.watch)  # one shared folder, as an NFS share mounted on each host
            extra = ["--set", f"database.url={pg.url}", "--set", f"node.name={name}", "--set", f"cluster.lease_ms={a.lease_ms}"]
            nodes[name] = torture.Daemon(dirs, extra, os.path.join(base, name, "daemon.log"))
        for d in nodes.values():
            d.start(ready_timeout=120)

        inputs, lock, stories = {}, threading.Lock(), torture.StoryStream(random.Random(seed ^ 0xC1))
        wrng = random.Random(seed ^ 0x5EED)

        def writer():
            contents = []
            for i in range(a.files):
                r = wrng.random()
                if r < 0.05 and contents:
                    data = wrng.choice(contents)
                elif r < 0.07:
                    data = b""
                else:
                    data = torture.doc_text(wrng, i, stories.next_topic())
                    contents.append(data)
                name = f"doc-{i:05d}.txt"
                tmp = os.path.join(watch, f".{name}.part")
                with open(tmp, "wb") as f:
                    f.write(data)
                os.rename(tmp, os.path.join(watch, name))
                with lock:
                    inputs[name] = data
                time.sleep(wrng.uniform(0, 2 * a.writer_seconds / a.files))

        t = threading.Thread(target=writer, daemon=True)
        t.start()
        bound = 2 * a.lease_ms / 1000 + a.lease_ms / 3000 + 1.0  # two leases, one heartbeat, and a second of slack
        takeovers = []

        def await_new_leader(old_term, what):
            started = time.monotonic()
            while time.monotonic() - started < 30:
                name, term, live = leader(pg)
                if term > old_term and live and nodes[name].alive():
                    took = time.monotonic() - started
                    takeovers.append(took)
                    if took > bound:
                        problems.append(f"{what}: new leader after {took:.2f} s (bound {bound:.2f} s)")
                    return
                time.sleep(0.02)
            problems.append(f"{what}: no new leader within 30 s")

        pause_at = rng.randrange(a.kills)
        for k in range(a.kills):
            time.sleep(rng.uniform(0.3, 1.5))
            name, term, _ = leader(pg)
            victim = name if (rng.random() < 0.5 and name in nodes) else rng.choice(sorted(nodes))
            if k == pause_at and name in nodes:
                nodes[name].proc.send_signal(signal.SIGSTOP)
                await_new_leader(term, f"pause of leader {name}")
                nodes[name].proc.send_signal(signal.SIGCONT)
                log(f"  paused leader {name} (term {term}) past its lease; now leader {leader(pg)[0]}")
            nodes[victim].kill9()
            if victim == name:
                await_new_leader(term, f"kill {k + 1} of leader {name}")
            nodes[victim].start(ready_timeout=120)
            if (k + 1) % 5 == 0:
                log(f"  {k + 1} kills, {len(inputs)} files written")
        t.join()

        def settled():
            n = int(pg.sql("SELECT COUNT(*) FROM files", "seedwatch") or 0)
            return n >= len(inputs)
        if not torture.wait_for(settled, 300, 0.5):
            problems.append(f"not every input in the ledger within 300 s: {pg.sql('SELECT COUNT(*) FROM files', 'seedwatch').strip()} of {len(inputs)}")
        # The server's view before the nodes stop, for a node that then hangs: who waits for what.
        with open(os.path.join(base, "pg_stat_activity.txt"), "w") as f:
            f.write(pg.sql("SELECT pid, backend_start, xact_start, state, wait_event_type, wait_event, "
                           "pg_blocking_pids(pid), left(query, 160) FROM pg_stat_activity WHERE datname = 'seedwatch'"))
        rcs = {name: d.term() for name, d in nodes.items()}
        for name, rc in rcs.items():
            if rc != 0:
                problems.append(f"node {name} stopped with {rc}")

        rows = [line.split("|") for line in pg.sql("SELECT path, sha256, status FROM files", "seedwatch").splitlines() if line]
        ledger = {os.path.basename(path): (sha, status) for path, sha, status in rows}
        missing = sorted(set(inputs) - set(ledger))
        if missing:
            problems.append(f"{len(missing)} inputs not in the ledger, e.g. {missing[:3]}")
        processed = collections.Counter(sha for sha, status in ledger.values() if status == "processed")
        twice = [sha for sha, n in processed.items() if n > 1]
        if twice:
            problems.append(f"{len(twice)} contents processed to completion twice")
        readable = {hashlib.sha256(d).hexdigest() for d in inputs.values() if d}
        unprocessed = readable - set(processed)
        if unprocessed:
            problems.append(f"{len(unprocessed)} readable contents never processed")
        db_alerts = [json.loads(line) for line in pg.sql("SELECT line FROM alerts", "seedwatch").splitlines() if line]
        file_alerts = []
        for name, d in nodes.items():
            path = os.path.join(d.dirs.outbox, "alerts.jsonl")
            if os.path.exists(path):
                file_alerts += [json.loads(line) for line in open(path) if line.strip()]

        def key(x):
            return (x.get("class"), x.get("document_id"), x.get("topic_id"))
        repeated = [k for k, n in collections.Counter(map(key, file_alerts)).items() if n > 1]
        if repeated:
            problems.append(f"{len(repeated)} alerts twice across the nodes' alerts.jsonl, e.g. {repeated[:2]}")
        if set(map(key, file_alerts)) != set(map(key, db_alerts)):
            problems.append(f"alerts.jsonl files ({len(file_alerts)}) and the database ({len(db_alerts)}) differ")
        problems += check_arrival_order(nodes, inputs, base)
        statuses = collections.Counter(status for _, status in ledger.values())
        log(f"ledger: {dict(statuses)}; alerts: {len(db_alerts)} in the database, {len(file_alerts)} across the files; "
            f"takeovers: {len(takeovers)}, median {sorted(takeovers)[len(takeovers) // 2]:.2f} s, max {max(takeovers):.2f} s"
            if takeovers else f"ledger: {dict(statuses)}; no takeover measured")
    finally:
        for d in nodes.values():
            if d.alive():
                d.proc.send_signal(signal.SIGCONT)
                d.proc.kill()
                d.proc.wait()
        pg.stop()
    if problems:
        log("FAIL (seed %d, folders kept in %s):" % (seed, base))
        for problem in problems:
            log("  - " + problem)
        return 1
    log("PASS")
    if a.keep:
        log(f"folders: {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
