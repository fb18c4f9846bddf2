#!/usr/bin/env python3
"""seedwatch reliability driver (Python 3 stdlib only).

Subcommands (each prints its seed and figures, exits 1 on a broken invariant):
  crash    stream documents while SIGKILLing the daemon at random moments, then check the invariant
  burst    N small files at once with the default inotify queue; peak RSS, overflow in the log
  diskfull outbox (or state) on a 2 MiB tmpfs, filled while documents arrive; then freed
  hostile  the hostile-input table (expected vs observed outcome per input)

The crash run also runs the same inputs, in the order they were written, through a daemon that is never killed,
and requires the same alerts in alerts.jsonl, each once (README.md, "Alerts"; skip with --no-reference).

The invariant checked after every run ("exactly once"): every input name has exactly one valid outbox
result (status processed|duplicate, parseable, id == file name, source.sha256 == the file's content) or
exactly one quarantine record, never both, never none; no `.tmp-` file is left; the ledger agrees with the
outbox. A crash between the outbox write and the ledger write makes the daemon redo the document and
rewrite the same result id (same name, same content -> same id), so rewrites never create a second result.
"""
import argparse, hashlib, json, os, random, shutil, signal, socket, sqlite3, stat, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("SEEDWATCH_BIN", os.path.join(ROOT, ".build/release/seedwatch"))
FAST = ["--set", "processors.entities.enabled=false"]


def log(*a):
    print(*a, flush=True)


class Dirs:
    def __init__(self, base):
        self.base = base
        self.watch, self.outbox, self.state, self.quarantine = (os.path.join(base, n) for n in ("watch", "outbox", "state", "quarantine"))
        for d in (self.watch, self.outbox, self.state, self.quarantine):
            os.makedirs(d, exist_ok=True)


class Daemon:
    def __init__(self, dirs, extra, logpath):
        self.dirs, self.extra, self.logpath = dirs, extra, logpath
        self.proc = None

    def start(self, ready_timeout=None):
        sock_path = os.path.join(self.dirs.base, "notify.sock")
        if os.path.exists(sock_path):
            os.unlink(sock_path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(sock_path)
        env = dict(os.environ, NOTIFY_SOCKET=sock_path)
        cmd = [BIN, "run", "--watch", self.dirs.watch, "--outbox", self.dirs.outbox, "--state", self.dirs.state,
               "--quarantine", self.dirs.quarantine] + self.extra
        self.logf = open(self.logpath, "ab")
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=self.logf, stderr=self.logf)
        # Read every datagram, as systemd does: an unread NOTIFY_SOCKET fills up and blocks the daemon's
        # sd_notify (see docs/RELIABILITY.md, "findings").
        self.ready = threading.Event()
        self.notify_thread = threading.Thread(target=self._drain_notify, args=(self.sock,), daemon=True)
        self.notify_thread.start()
        if ready_timeout is not None:
            self.wait_ready(ready_timeout)
        return self.proc

    def _drain_notify(self, sock):
        while True:
            try:
                msg = sock.recv(65536).decode(errors="replace")
            except OSError:
                return
            if not msg:
                return
            if "READY=1" in msg.split("\n"):
                self.ready.set()

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready.wait(0.05):
                return True
            if self.proc.poll() is not None:
                break
        raise SystemExit(f"daemon not READY within {timeout}s (exit {self.proc.poll()})")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.close()

    def term(self, timeout=60):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Where it hung, for the report: every thread's stack, beside the daemon's log.
            stacks = self.logpath + ".stacks"
            if shutil.which("gdb"):
                with open(stacks, "w") as f:
                    subprocess.run(["gdb", "-p", str(self.proc.pid), "-batch", "-ex", "thread apply all bt 30"],
                                   stdout=f, stderr=subprocess.STDOUT, timeout=120, check=False)
            self.proc.kill()
            self.proc.wait(timeout=10)
            rc = f"hung (killed; stacks in {stacks})"
        self.close()
        return rc

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.notify_thread.join(timeout=5)
        self.logf.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def peak_rss_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_records(dirs):
    """Outbox results and quarantine records keyed by relative path; plus the list of problems found."""
    problems, results, quarantine, temps = [], {}, {}, []
    for name in os.listdir(dirs.outbox):
        path = os.path.join(dirs.outbox, name)
        if name.startswith(".tmp-"):
            temps.append(name)
            continue
        if name == ".filler":  # the disk-full run's own filler
            continue
        if name == "alerts.jsonl":  # the topic alerts log: every complete line must parse
            with open(path, "rb") as f:
                lines = f.read().split(b"\n")
            for line in lines[:-1]:  # a last line without its newline is the torn write of a kill
                try:
                    json.loads(line) if line.strip() else None
                except ValueError:
                    problems.append(f"alerts.jsonl has an unparseable line: {line[:80]!r}")
            continue
        if not name.endswith(".json"):
            problems.append(f"unexpected outbox file {name!r}")
            continue
        try:
            with open(path, "rb") as f:
                doc = json.loads(f.read())
        except (ValueError, OSError) as e:
            problems.append(f"partial/unparseable result {name!r}: {e}")
            continue
        if doc.get("schema") != "seedwatch.result/1" or doc.get("id") != name[:-5] or doc.get("status") not in ("processed", "duplicate"):
            problems.append(f"invalid result {name!r}: schema={doc.get('schema')} id={doc.get('id')} status={doc.get('status')}")
        rel = doc.get("source", {}).get("relative_path")
        results.setdefault(rel, []).append(doc)
    for name in os.listdir(dirs.quarantine):
        path = os.path.join(dirs.quarantine, name)
        if name.startswith(".") or os.path.isdir(path):  # files/: inputs moved there by ingest.after
            continue
        try:
            with open(path, "rb") as f:
                doc = json.loads(f.read())
        except (ValueError, OSError) as e:
            problems.append(f"partial/unparseable quarantine record {name!r}: {e}")
            continue
        quarantine.setdefault(doc.get("relative_path"), []).append(doc)
    return results, quarantine, temps, problems


def check_exactly_once(dirs, inputs, ledger=True):
    """inputs: {relative_path: expected sha256 or None}. Returns (figures, problems)."""
    results, quarantine, temps, problems = read_records(dirs)
    lost = dup = both = 0
    ids = {}
    for rel, sha in inputs.items():
        r, q = results.get(rel, []), quarantine.get(rel, [])
        if len(r) + len(q) == 0:
            lost += 1
            problems.append(f"lost: {rel!r} has no result and no quarantine record")
        if len(r) > 1:
            dup += 1
            problems.append(f"duplicate results for {rel!r}: {[d['id'] for d in r]}")
        if r and q:
            both += 1
            problems.append(f"{rel!r} has a result and a quarantine record")
        for d in r:
            ids[d["id"]] = d
            if sha is not None and d["source"].get("sha256") != sha:
                problems.append(f"{rel!r}: result sha {d['source'].get('sha256')} != content {sha}")
    for rel in set(results) - set(inputs):
        problems.append(f"result for unknown input {rel!r}")
    for d in ids.values():
        if d["status"] == "duplicate" and d.get("duplicate_of") not in ids:
            problems.append(f"{d['id']}: duplicate_of {d.get('duplicate_of')!r} is not an existing result")
    if temps:
        problems.append(f"{len(temps)} temporary files left in the outbox: {temps[:3]}")
    if ledger:
        db = os.path.join(dirs.state, "seedwatch.sqlite")
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = con.execute("SELECT path, status, result_id FROM files").fetchall()
        con.close()
        for path, status, result_id in rows:
            if status in ("processed", "duplicate") and result_id not in ids:
                problems.append(f"ledger {path!r} {status} -> {result_id!r} but no such result in the outbox")
        if len(rows) != len(inputs):
            problems.append(f"ledger has {len(rows)} rows for {len(inputs)} inputs")
    figures = dict(inputs=len(inputs), results=sum(len(v) for v in results.values()),
                   quarantined=sum(len(v) for v in quarantine.values()), lost=lost,
                   partial=sum(1 for p in problems if p.startswith("partial")), duplicates=dup, temps=len(temps))
    return figures, problems


def wait_for(pred, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return pred()


def accounted(dirs, inputs):
    def pred():
        results, quarantine, _, _ = read_records(dirs)
        return all(rel in results or rel in quarantine for rel in inputs)
    return pred


COMMON_WORDS = ["markets", "minister", "said", "on", "Tuesday", "London", "the", "report", "growth", "Reuters",
                "election", "council", "budget", "and", "of", "a", "new", "plan", "Paris", "United", "Nations"]


def doc_text(rng, i, topic=()):
    """A document; with `topic` (a story's own words) most of its words come from that story."""
    def word():
        return rng.choice(topic) if topic and rng.random() < 0.6 else rng.choice(COMMON_WORDS)
    paras = []
    for _ in range(rng.randint(1, 6)):
        sents = [" ".join(word() for _ in range(rng.randint(5, 25))).capitalize() + "." for _ in range(rng.randint(1, 6))]
        paras.append(" ".join(sents))
    headline = " ".join(word() for _ in range(6)).capitalize() if topic else f"Document {i}"
    return (headline + "\n\n" + "\n\n".join(paras) + "\n").encode()


class StoryStream:
    """Stories for the crash run's documents, so the topic tracker raises alerts to compare: each story has
    words of its own; the stream stays on a story for a while, then goes back to an earlier one or starts a new one."""
    def __init__(self, rng):
        self.rng, self.stories, self.current = rng, [], None

    def next_topic(self):
        rng = self.rng
        if self.current is None or rng.random() < 0.15:
            if self.stories and rng.random() < 0.5:
                self.current = rng.choice(self.stories)
            else:
                self.current = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
                                for _ in range(12)]
                self.stories.append(self.current)
        return self.current


class KilledRun:
    """A writer streaming `a.files` documents into the watch folder over `a.writer_seconds` (in place or renamed
    in; ~5 % copies of earlier content, ~2 % empty, ~2 % binary) while the daemon is killed -9 `a.kills` times,
    then started once more to drain. `inputs` maps each name to its SHA-256, `written` to its bytes."""
    def __init__(self, daemon, dirs, a, seed, topic=None):
        self.d, self.dirs, self.a = daemon, dirs, a
        self.inputs, self.written, self.lock = {}, {}, threading.Lock()
        self.stop = threading.Event()
        self.wrng = random.Random(seed ^ 0x5EED)
        self.topic = topic

    def writer(self):
        a, wrng, contents = self.a, self.wrng, []
        per_file = a.writer_seconds / a.files
        for i in range(a.files):
            if self.stop.is_set():
                return
            r = wrng.random()
            name = f"doc-{i:05d}.txt"
            if r < 0.05 and contents:
                data = wrng.choice(contents)          # same content under a second name -> duplicate
            elif r < 0.07:
                data = b""                            # -> quarantine empty
            elif r < 0.09:
                data = b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(200)   # -> quarantine binary
            else:
                data = doc_text(wrng, i, self.topic() if self.topic else ())
                contents.append(data)
            path = os.path.join(self.dirs.watch, name)
            if wrng.random() < 0.5:                   # written in place (IN_CLOSE_WRITE), one write(2)
                with open(path, "wb") as f:
                    f.write(data)
            else:                                     # written elsewhere, renamed in (IN_MOVED_TO)
                tmp = os.path.join(self.dirs.watch, f".{name}.part")
                with open(tmp, "wb") as f:
                    f.write(data)
                os.rename(tmp, path)
            with self.lock:
                self.inputs[name] = hashlib.sha256(data).hexdigest()
                self.written[name] = data
            time.sleep(wrng.uniform(0, 2 * per_file))

    def kill_and_drain(self, rng, settled, progress, every):
        """Kills while the writer runs, then one more start until `settled()`: (kills, settled in time, exit code)."""
        a, d = self.a, self.d
        t = threading.Thread(target=self.writer, daemon=True)
        t.start()
        kills = 0
        try:
            for k in range(a.kills):
                d.start()
                time.sleep(rng.uniform(0, a.max_uptime))
                if not d.alive():
                    raise SystemExit(f"daemon exited by itself with {d.proc.returncode} before kill {k + 1}; log {d.logpath}")
                d.kill9()
                kills += 1
                if kills % every == 0:
                    log(f"  {kills} kills, {len(self.inputs)} files written, {progress(kills)}")
            t.join(timeout=a.writer_seconds + 60)
            d.start(ready_timeout=60)
            ok = wait_for(settled, a.drain_timeout, 0.25)
            rc = d.term()
        finally:
            self.stop.set()
            if d.alive():
                d.proc.kill()
                d.proc.wait()
        return kills, ok, rc


# ---------------------------------------------------------------------------------------------- crash
def cmd_crash(a):
    seed = a.seed if a.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    log(f"crash: seed={seed} files={a.files} kills={a.kills} all_processors={a.all_processors}  (replay: --seed {seed})")
    base = tempfile.mkdtemp(prefix="sw-crash-", dir=a.tmp)
    dirs = Dirs(base)
    # The default checkpoint_docs: kills fall between checkpoints, so the tracker's log is replayed, and the alerts
    # must still equal the reference run's (README.md, "Alerts").
    extra = ["--set", "log.target=stderr"] + ([] if a.all_processors else FAST)
    d = Daemon(dirs, extra, os.path.join(base, "daemon.log"))
    stories = StoryStream(random.Random(seed ^ 0x7091C))
    run = KilledRun(d, dirs, a, seed, topic=stories.next_topic)
    t0 = time.monotonic()
    kills, ok, rc = run.kill_and_drain(rng, accounted(dirs, run.inputs),
                                       lambda kills: f"{len(os.listdir(dirs.outbox))} outbox entries", every=50)
    inputs, written = run.inputs, run.written
    figures, problems = check_exactly_once(dirs, dict(inputs))
    figures.update(kills=kills, seed=seed, final_exit=rc, seconds=round(time.monotonic() - t0, 1), all_accounted=ok)
    if not a.no_reference:
        alert_figures, alert_problems = compare_alerts(dirs, reference_alerts(a, base, extra, written))
        figures.update(alert_figures)
        problems += alert_problems
    return report("crash", figures, problems, base, a.keep)


def read_alerts(dirs):
    """The alerts of alerts.jsonl in file order, as (document_id, class, topic_id); a torn last line is left out."""
    path = os.path.join(dirs.outbox, "alerts.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    alerts = []
    for line in lines:
        try:
            record = json.loads(line) if line.strip() else None
        except ValueError:
            continue  # reported by read_records
        if record is not None:
            alerts.append((record.get("document_id"), record.get("class"), record.get("topic_id")))
    return alerts


def reference_alerts(a, base, extra, written):
    """The same inputs, in the order the writer wrote them, to a daemon that is never killed: the alerts it writes.
    Each file gets an mtime 1 ms after the one before, so the catch-up scan (mtime, then name) queues them in that
    order, as the kill run's writer and scans did."""
    dirs = Dirs(os.path.join(base, "reference"))
    stamp = time.time_ns() - len(written) * 1_000_000
    for i, (name, data) in enumerate(written.items()):
        path = os.path.join(dirs.watch, name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, ns=(stamp + i * 1_000_000,) * 2)
    d = Daemon(dirs, extra, os.path.join(dirs.base, "daemon.log"))
    try:
        d.start(ready_timeout=60)
        inputs = {name: hashlib.sha256(data).hexdigest() for name, data in written.items()}
        if not wait_for(accounted(dirs, inputs), a.drain_timeout, 0.25):
            raise SystemExit(f"reference run: not every input accounted for within {a.drain_timeout}s; log {d.logpath}")
        rc = d.term()
    finally:
        if d.alive():
            d.proc.kill()
            d.proc.wait()
    if rc != 0:
        raise SystemExit(f"reference run: exit {rc}; log {d.logpath}")
    return read_alerts(dirs)


def compare_alerts(dirs, reference):
    """The kill run's alerts against the reference run's (README.md, "Alerts"): the same set, each line once. The
    order is not compared: documents processed side by side append their alerts in either order, kills or not."""
    observed = read_alerts(dirs)
    problems = []
    seen = {}
    for alert in observed:
        seen[alert] = seen.get(alert, 0) + 1
    repeated = [alert for alert, n in seen.items() if n > 1]
    for alert in repeated[:10]:
        problems.append(f"alert written {seen[alert]} times: {alert}")
    missing = [alert for alert in reference if alert not in seen]
    extra = [alert for alert in seen if alert not in set(reference)]
    for alert in missing[:10]:
        problems.append(f"alert of the run without kills missing: {alert}")
    for alert in extra[:10]:
        problems.append(f"alert the run without kills did not raise: {alert}")
    figures = dict(alerts=len(observed), reference_alerts=len(reference), alerts_missing=len(missing),
                   alerts_extra=len(extra), alerts_repeated=len(repeated))
    return figures, problems


def report(what, figures, problems, base, keep):
    log(f"{what}: " + json.dumps(figures))
    for p in problems[:30]:
        log("  PROBLEM:", p)
    if len(problems) > 30:
        log(f"  ... {len(problems) - 30} more")
    failed = bool(problems) or figures.get("final_exit") not in (0, None)
    if failed or keep:
        log(f"  kept {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    log(f"{what}: {'FAIL' if failed else 'PASS'}")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------- burst
def cmd_burst(a):
    base = tempfile.mkdtemp(prefix="sw-burst-", dir=a.tmp)
    mounted = False
    try:
        if a.tmpfs:
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4g", "tmpfs", base], check=True)
            mounted = True
        dirs = Dirs(base)
        with open("/proc/sys/fs/inotify/max_queued_events") as f:
            qmax = f.read().strip()
        log(f"burst: files={a.files} max_queued_events={qmax} tmpfs={a.tmpfs} paused={a.pause} max_pending={a.max_pending}")
        pending = ["--set", f"ingest.max_pending={a.max_pending}"] if a.max_pending else []
        d = Daemon(dirs, ["--set", "log.target=both", "--set", "log.level=info"] + FAST + pending, os.path.join(a.tmp, f"burst-{os.getpid()}.log"))
        d.start(ready_timeout=60)
        inputs = {}
        if a.pause:  # SIGSTOP the daemon during the burst: the kernel queue (max_queued_events) must overflow
            d.proc.send_signal(signal.SIGSTOP)
        t0 = time.monotonic()
        for i in range(a.files):
            name = f"b{i:06d}.txt"
            data = f"Burst file {i}. The council met on Monday.\n".encode()
            with open(os.path.join(dirs.watch, name), "wb") as f:
                f.write(data)
            inputs[name] = hashlib.sha256(data).hexdigest()
        created = time.monotonic() - t0
        log(f"  created {a.files} files in {created:.2f}s")
        if a.pause:
            d.proc.send_signal(signal.SIGCONT)
        ok = wait_for(lambda: len(os.listdir(dirs.outbox)) >= a.files or not d.alive(), a.drain_timeout, 1.0)
        done = time.monotonic() - t0
        peak = d.peak_rss_kib()
        alive = d.alive()
        rc = d.term()
        with open(d.logpath, "rb") as f:
            text = f.read().decode(errors="replace")
        overflow_lines = sum(1 for line in text.splitlines() if "overflow" in line.lower())
        journal = subprocess.run(["journalctl", "-t", "seedwatch", "INGEST_EVENT=overflow", "-o", "json", "--no-pager",
                                  f"_PID={d.proc.pid}"], capture_output=True, text=True, timeout=60)
        journal_overflow = len([l for l in journal.stdout.splitlines() if l.strip()])
        full = subprocess.run(["journalctl", "-t", "seedwatch", "INGEST_EVENT=queue_full", "-o", "json", "--no-pager",
                               f"_PID={d.proc.pid}"], capture_output=True, text=True, timeout=60)
        queue_full = [json.loads(l) for l in full.stdout.splitlines() if l.strip()]
        dropped = sum(int(e.get("INGEST_DROPPED", "0")) for e in queue_full)
        figures, problems = check_exactly_once(dirs, inputs)
        figures.update(created_seconds=round(created, 2), all_done_seconds=round(done, 1), all_processed=ok,
                       alive_until_term=alive, peak_rss_mib=round(peak / 1024, 1) if peak else None,
                       overflow_log_lines=overflow_lines, paused=a.pause, journal_overflow_entries=journal_overflow,
                       max_pending=a.max_pending, journal_queue_full_entries=len(queue_full), names_dropped=dropped, final_exit=rc)
        # Paused, the kernel queue must overflow, and the overflow must be logged. Running, the daemon
        # may keep up (no overflow): that run checks only that every file is processed exactly once.
        if a.pause and overflow_lines == 0 and journal_overflow == 0:
            problems.append("no overflow in the log or journal (the queue did not overflow, or it was not logged)")
        if a.max_pending and a.files > a.max_pending and (not queue_full or dropped == 0):
            problems.append("the work queue was smaller than the burst, but no queue_full warning with names dropped is in the journal")
        return report("burst", figures, problems, base, False)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", base])
            shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------------------------------------- disk full
def cmd_diskfull(a):
    base = tempfile.mkdtemp(prefix=f"sw-diskfull-{a.target}-", dir=a.tmp)
    dirs = Dirs(base)
    target = dirs.outbox if a.target == "outbox" else dirs.state
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", target], check=True)
    d, outcome = None, 1
    try:
        logpath = os.path.join(base, "daemon.log")
        d = Daemon(dirs, ["--set", "log.target=both"] + FAST, logpath)
        d.start(ready_timeout=60)
        rng = random.Random(a.seed)
        # fill the filesystem
        filler = os.path.join(target, ".filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        inputs = {}
        for i in range(a.files):
            name = f"full-{i:03d}.txt"
            data = doc_text(rng, i)
            with open(os.path.join(dirs.watch, name), "wb") as f:
                f.write(data)
            inputs[name] = hashlib.sha256(data).hexdigest()
        time.sleep(a.full_seconds)   # documents arrive while the disk is full
        alive_full = d.alive()
        results, quarantine, temps, problems_full = read_records(dirs)
        with open(logpath, "rb") as f:
            errlines = [l for l in f.read().decode(errors="replace").splitlines() if "no space left" in l.lower() or "disk is full" in l.lower()]
        log(f"  while full: alive={alive_full} results={sum(map(len, results.values()))} quarantined={sum(map(len, quarantine.values()))} "
            f"temps={len(temps)} problems={len(problems_full)} no-space log lines={len(errlines)}")
        for l in errlines[:3]:
            log("   ", l[:200])
        os.unlink(filler)
        ok = wait_for(accounted(dirs, inputs), a.drain_timeout, 0.25)
        rc = d.term()
        figures, problems = check_exactly_once(dirs, inputs)
        figures.update(target=a.target, alive_while_full=alive_full, nospace_log_lines=len(errlines),
                       partial_while_full=len(problems_full), all_processed_after_free=ok, final_exit=rc)
        if not alive_full:
            problems.append("daemon died while the disk was full")
        if not errlines:
            problems.append("no disk-full error logged")
        outcome = report(f"diskfull-{a.target}", figures, problems + problems_full, base, True)
    finally:
        if d is not None and d.alive():
            d.proc.kill()
            d.proc.wait()
        subprocess.run(["umount", "-l", target])
    if outcome == 0 and not a.keep:  # only now: report() cannot remove a folder with a mount in it
        shutil.rmtree(base, ignore_errors=True)
    return outcome


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tmp", default=os.environ.get("TORTURE_TMP", "/tmp"))
    p.add_argument("--keep", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("crash")
    c.add_argument("--files", type=int, default=2000)
    c.add_argument("--kills", type=int, default=200)
    c.add_argument("--seed", type=int)
    c.add_argument("--max-uptime", type=float, default=0.6)
    c.add_argument("--writer-seconds", type=float, default=60)
    c.add_argument("--drain-timeout", type=float, default=600)
    c.add_argument("--all-processors", action="store_true")
    c.add_argument("--no-reference", action="store_true", help="skip the run without kills whose alerts the kill run must match")
    b = sub.add_parser("burst")
    b.add_argument("--files", type=int, default=100000)
    b.add_argument("--tmpfs", action="store_true")
    b.add_argument("--pause", action="store_true", help="SIGSTOP the daemon while the files are created")
    b.add_argument("--drain-timeout", type=float, default=1800)
    b.add_argument("--max-pending", type=int, default=0, help="ingest.max_pending, below the burst: names are dropped and found by rescans")
    f = sub.add_parser("diskfull")
    f.add_argument("--target", choices=["outbox", "state"], default="outbox")
    f.add_argument("--files", type=int, default=30)
    f.add_argument("--seed", type=int, default=1)
    f.add_argument("--full-seconds", type=float, default=5)
    f.add_argument("--drain-timeout", type=float, default=120)
    h = sub.add_parser("hostile")
    h.add_argument("--drain-timeout", type=float, default=180)
    h.add_argument("--only", help="comma-separated case numbers, e.g. h40,h41")
    a = p.parse_args()
    if a.cmd == "hostile":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import hostile
        sys.exit(hostile.run(a, sys.modules[__name__]))
    sys.exit({"crash": cmd_crash, "burst": cmd_burst, "diskfull": cmd_diskfull}[a.cmd](a))
