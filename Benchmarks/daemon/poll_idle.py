#!/usr/bin/env python3
"""Idle cost of polling (ingest.mode poll): --files small files in the watch folder (tmpfs), the daemon started in
poll mode with every processor off, all of them processed (the catch-up scan), then --seconds idle while the folder is
polled every --interval-ms: CPU time over that span, summed over all threads from /proc/PID/task/*/schedstat (ns,
finer than the clock ticks of /proc/PID/stat), divided by the number of polls. An idle poll of an unchanged folder
costs one stat of it; the poll's wake-up on a thread of the pool is most of what is measured.
usage: Benchmarks/daemon/poll_idle.py [--files 100000] [--seconds 30] [--interval-ms 100] [--runs 1]"""
import argparse, json, os, shutil, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--files', type=int, default=100000)
ap.add_argument('--seconds', type=float, default=30)
ap.add_argument('--interval-ms', type=int, default=100)
ap.add_argument('--runs', type=int, default=1)
args = ap.parse_args()


def cpu_ns(pid):
    total = 0
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            total += int(open(f'/proc/{pid}/task/{tid}/schedstat').read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended meanwhile
    return total


def processed(d):
    """The processed count of the last STATUS= line, or None when none came."""
    last = None
    for _, m in d.messages(1):
        for line in m.split('\n'):
            if line.startswith('STATUS=') and 'processed ' in line:
                last = int(line.split('processed ', 1)[1].split(',', 1)[0])
    return last


off = [f'processors.{p}.enabled=false' for p in ('stats', 'text', 'summary', 'entities', 'topics')]
rows = []
for r in range(args.runs):
    work = tempdir('swbench-poll-', shm=True)
    try:
        d = Daemon(work, extra_sets=off + ['ingest.mode=poll', f'ingest.poll_interval_ms={args.interval_ms}'])
        for i in range(args.files):
            with open(os.path.join(d.watch, f'p{i:06d}.txt'), 'w') as f:
                f.write(f'Note {i}. Filed on the share and processed long ago.\n')
        d.start()
        d.wait_ready(timeout=600)
        done, end = 0, time.monotonic() + 1800
        while done < args.files and time.monotonic() < end:
            done = processed(d) or done
        if done < args.files:
            raise RuntimeError(f'only {done} of {args.files} processed')
        while d.messages(2):
            pass  # settled: no STATUS= for 2 s
        c0, t0 = cpu_ns(d.pid), time.monotonic()
        time.sleep(args.seconds)
        c1, t1 = cpu_ns(d.pid), time.monotonic()
        polls = (t1 - t0) * 1000 / args.interval_ms
        row = {'run': r + 1, 'files': args.files, 'seconds': round(t1 - t0, 2), 'interval_ms': args.interval_ms,
               'polls': round(polls), 'cpu_ms': round((c1 - c0) / 1e6, 2), 'cpu_us_per_poll': round((c1 - c0) / 1e3 / polls, 1),
               'loadavg': loadavg(), 'exit': d.stop()}
        print(json.dumps(row), flush=True)
        rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)
s = summary([x['cpu_us_per_poll'] for x in rows])
print(f"# CPU per idle poll of an unchanged folder of {args.files} files: {s['median']} µs [{s['min']}–{s['max']}] ({len(rows)} runs)")
