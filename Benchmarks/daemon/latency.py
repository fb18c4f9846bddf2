#!/usr/bin/env python3
"""Latency: BBC articles renamed into the watch folder at a steady rate (default 50/s for 60 s) from a staging folder
on the same file system; per file, the time from just before rename(2) to the IN_MOVED_TO of its result in the outbox
(inotify, read by a second thread). Every file is distinct (the BBC articles, cycled, with a counter line appended).
usage: Benchmarks/daemon/latency.py [--runs N] [--rate 50] [--seconds 60] [--shm]"""
import argparse, json, os, shutil, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--rate', type=float, default=50)
ap.add_argument('--seconds', type=float, default=60)
ap.add_argument('--shm', action='store_true', help='folders on tmpfs (/dev/shm) instead of the disk')
args = ap.parse_args()

arts = bbc_articles()
count = int(args.rate * args.seconds)
rows = []
for r in range(args.runs):
    work = tempdir('swbench-lat-', shm=args.shm)
    try:
        stage = os.path.join(work, 'stage')
        write_files(stage, [(f'lat{i:05d}.txt', arts[i % len(arts)][1] + f'\n\n{r}-{i}\n'.encode()) for i in range(count)])
        d = Daemon(work).start()
        d.wait_ready()
        ino = Inotify(d.outbox)
        seen = {}
        stop = threading.Event()

        def reader():
            while not stop.is_set() or len(seen) < count:
                for name, t, _ in ino.read(0.2):
                    if name.endswith('.json') and not name.startswith('.'):
                        seen.setdefault(name.rsplit('.', 2)[0], t)
                if stop.is_set() and time.monotonic() > deadline:
                    return
        deadline = float('inf')
        th = threading.Thread(target=reader); th.start()
        load0 = loadavg()
        dropped = {}
        start = time.monotonic()
        for i in range(count):
            due = start + i / args.rate
            while (now := time.monotonic()) < due:
                time.sleep(due - now)
            name = f'lat{i:05d}.txt'
            dropped[name] = time.monotonic()
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        deadline = time.monotonic() + 30
        stop.set(); th.join()
        ino.close()
        lat = [(seen[n] - t) * 1000 for n, t in dropped.items() if n in seen]
        row = {'run': r + 1, 'files': count, 'results': len(lat), 'loadavg': load0 + loadavg(),
               'p50_ms': pct(lat, 50), 'p90_ms': pct(lat, 90), 'p99_ms': pct(lat, 99), 'max_ms': max(lat),
               'exit': d.stop()}
        print(json.dumps(row), flush=True)
        rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)
print(f'# {count} files at {args.rate}/s, {len(rows)} runs; median [min–max] over runs')
for k in ('p50_ms', 'p90_ms', 'p99_ms', 'max_ms'):
    s = summary([x[k] for x in rows])
    print(f"{k}: {s['median']:.2f} [{s['min']:.2f}–{s['max']:.2f}]")
