#!/usr/bin/env python3
"""State written per document: the 2,225 BBC articles renamed at once into a READY daemon on tmpfs, under
`strace -f -e trace=pwrite64 -y` from READY=1 to its exit after SIGTERM (the clean stop's writes count). Counts
the SQLite WAL frames (pages: 1 KiB in a new database, 4 KiB in one made before issue 23) and bytes written to `seedwatch.sqlite-wal` and the bytes copied into `seedwatch.sqlite` by
checkpoints, per document; the transactions (WAL commit frames) and the fsyncs of the state database per
document. The ledger writes too: `--set processors.topics.enabled=false --set
processors.entities.enabled=false` gives that part alone (stats, text, summary keep no state).
usage: Benchmarks/daemon/state_writes.py [--runs 1] [--files N] [--set KEY=VALUE ...]"""
import argparse, json, os, re, shutil, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=1)
ap.add_argument('--files', type=int, default=0, help='only the first N articles (0: all)')
ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE')
args = ap.parse_args()

PWRITE = re.compile(r'pwrite64\(\d+<([^>]*)>, "([^"]*)"(?:\.\.\.)?, \d+, \d+\) = (\d+)$')
def unhex(text):
    return bytes.fromhex(text.replace('\\x', '')) if text.startswith('\\x') else text.encode()


SYNC = re.compile(r'f(?:data)?sync\(\d+<([^>]*)>\) = 0$')
arts = bbc_articles()
if args.files:
    arts = arts[:args.files]
rows = []
for run_index in range(args.runs):
    work = tempdir('swbench-state-', shm=True)
    try:
        stage = os.path.join(work, 'stage')
        write_files(stage, [(f'c{i:05d}.txt', body) for i, (_, body) in enumerate(arts)])
        d = Daemon(work, extra_sets=args.set).start()
        d.wait_ready()
        trace = os.path.join(work, 'strace.log')
        cmd = ['strace', '-f', '-qq', '-y', '-e', 'trace=pwrite64,fsync,fdatasync', '-e', 'signal=none', '-s', '8', '-xx', '-o', trace,
               '-p', str(d.pid)]
        log('$', ' '.join(cmd))
        tracer = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        time.sleep(1)  # strace attaches to every thread before the first rename
        ino = Inotify(d.outbox, mask=IN_MOVED_TO)
        start = time.monotonic()
        for name in sorted(os.listdir(stage)):
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        seen = 0
        while seen < len(arts) and time.monotonic() - start < 1200:
            seen += sum(1 for name, _, _ in ino.read(5) if name.startswith('c') and name.endswith('.json'))
        ino.close()
        code = d.stop(timeout=120)
        tracer.wait(60)
        frames = wal = db = commits = syncs = 0
        for line in open(trace, errors='replace'):
            line = line.rstrip()
            m = SYNC.search(line)
            if m:
                syncs += 1 if 'seedwatch.sqlite' in unhex(m.group(1)).decode(errors='replace') else 0
                continue
            m = PWRITE.search(line)
            if not m:
                continue
            # -xx prints the names -y shows in hex too.
            path = unhex(m.group(1)).decode(errors='replace')
            head, size = unhex(m.group(2)), int(m.group(3))
            if path.endswith('seedwatch.sqlite-wal'):
                wal += size
                # A page (1 KiB for a database made since issue 23, 4 KiB before); headers are 24 bytes.
                frames += 1 if size >= 512 and size & (size - 1) == 0 else 0
                # A frame header (24 bytes) whose second word, the database size, is set ends a transaction.
                commits += 1 if size == 24 and len(head) == 8 and head[4:8] != bytes(4) else 0
            elif path.endswith('seedwatch.sqlite'):
                db += size
        row = {'run': run_index + 1, 'docs': seen, 'wal_frames_per_doc': round(frames / seen, 2),
               'wal_kb_per_doc': round(wal / seen / 1024, 2), 'db_kb_per_doc': round(db / seen / 1024, 2),
               'transactions_per_doc': round(commits / seen, 2), 'state_fsyncs_per_doc': round(syncs / seen, 3),
               'sets': args.set, 'exit': code, 'loadavg': loadavg()}
        print(json.dumps(row), flush=True)
        rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)
