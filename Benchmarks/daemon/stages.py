#!/usr/bin/env python3
"""Where one document's time goes, at a low rate (no queueing): BBC articles renamed into the watch folder at
--rate per second; per document, from the result files and an inotify reader on the outbox:
rename -> handler start (`arrived_at`), handler start -> result built (`completed_at`), result built -> result visible
in the outbox (write, fsync, rename), and each processor's `duration_ms`. `arrived_at`/`completed_at` have millisecond
resolution, so the first and last stages are +-1 ms per document; medians over many documents are still meaningful.
usage: Benchmarks/daemon/stages.py [--rate 10] [--files 150] [--shm]"""
import argparse, json, os, shutil, sys, threading, time
from datetime import datetime
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--rate', type=float, default=10)
ap.add_argument('--files', type=int, default=150)
ap.add_argument('--shm', action='store_true', help='folders on tmpfs (/dev/shm) instead of the disk')
args = ap.parse_args()

arts = bbc_articles()
n = args.files
work = tempdir('swbench-stages-', shm=args.shm)
try:
    stage = os.path.join(work, 'stage')
    write_files(stage, [(f'st{i:05d}.txt', arts[i % len(arts)][1] + f'\n\n{i}\n'.encode()) for i in range(n)])
    d = Daemon(work).start()
    d.wait_ready()
    ino = Inotify(d.outbox)
    seen = {}

    def reader():
        end = time.monotonic() + n / args.rate + 30
        while len(seen) < n and time.monotonic() < end:
            for name, t, _ in ino.read(0.2):
                if name.startswith('st') and name.endswith('.json'):
                    seen.setdefault(name.split('.')[0], (t, time.time()))
    th = threading.Thread(target=reader)
    th.start()
    load0 = loadavg()
    dropped, wall = {}, {}
    start = time.monotonic()
    for i in range(n):
        due = start + i / args.rate
        while (now := time.monotonic()) < due:
            time.sleep(due - now)
        key = f'st{i:05d}'
        dropped[key], wall[key] = time.monotonic(), time.time()
        os.rename(os.path.join(stage, key + '.txt'), os.path.join(d.watch, key + '.txt'))
    th.join()
    ino.close()
    stamp = lambda s: datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
    pre, mid, post, per = [], [], [], {}
    for f in os.listdir(d.outbox):
        key = f.split('.')[0]
        if not f.startswith('st') or key not in seen:
            continue
        r = json.load(open(os.path.join(d.outbox, f)))
        a, c = stamp(r['arrived_at']), stamp(r['completed_at'])
        pre.append((a - wall[key]) * 1000)
        mid.append((c - a) * 1000)
        post.append((seen[key][1] - c) * 1000)
        for p, v in r['processors'].items():
            per.setdefault(p, []).append(v['duration_ms'])
    e2e = [(seen[k][0] - dropped[k]) * 1000 for k in seen]
    print(json.dumps({'files': n, 'results': len(e2e), 'rate': args.rate, 'shm': args.shm, 'loadavg': load0 + loadavg(),
                      'exit': d.stop()}))
    print(f"end to end (rename -> result in the outbox): p50 {pct(e2e, 50):.2f} ms, p90 {pct(e2e, 90):.2f} ms")
    for label, v in (('rename -> handler start', pre), ('handler start -> result built', mid),
                     ('result built -> visible', post)):
        print(f"{label}: p50 {pct(v, 50):.2f} ms, p90 {pct(v, 90):.2f} ms")
    for p, v in sorted(per.items()):
        print(f"processor {p}: p50 {pct(v, 50):.2f} ms, p90 {pct(v, 90):.2f} ms")
finally:
    shutil.rmtree(work, ignore_errors=True)
