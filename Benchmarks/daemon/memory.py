#!/usr/bin/env python3
"""What the resident memory is made of after a burst: the daemon on an empty watch folder (disk), the 2,225 BBC
articles renamed in at once, then 2 s after the last result: VmRSS, VmHWM, /proc/PID/smaps_rollup (anonymous vs
file-backed pages) and the mappings holding the most. Extra `--set KEY=VALUE` go to the daemon (e.g.
`--set processors.entities.enabled=false` to see what a processor's state weighs); `--env NAME=VALUE` to its environment.
usage: Benchmarks/daemon/memory.py [--runs 1] [--files N] [--set KEY=VALUE]... [--env NAME=VALUE]..."""
import argparse, json, os, shutil, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=1)
ap.add_argument('--set', action='append', default=[], dest='sets')
ap.add_argument('--env', action='append', default=[])
ap.add_argument('--files', type=int, default=0, help='only the first N articles (0: all)')
args = ap.parse_args()
env = dict(e.split('=', 1) for e in args.env)
mib = lambda kib: round(kib / 1024, 1)

arts = bbc_articles()
if args.files:
    arts = arts[:args.files]
for r in range(args.runs):
    work = tempdir('swbench-mem-')
    try:
        stage = os.path.join(work, 'stage')
        write_files(stage, arts)
        d = Daemon(work, extra_sets=args.sets, env=env).start()
        d.wait_ready()
        time.sleep(1)
        start_rss = kb(proc_status(d.pid)['VmRSS'])
        ino = Inotify(d.outbox)
        load0 = loadavg()
        t0 = time.monotonic()
        for name, _ in arts:
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        t1 = wait_results(ino, len(arts), 600)
        ino.close()
        time.sleep(2)
        st = proc_status(d.pid)
        rollup = {}
        for line in open(f'/proc/{d.pid}/smaps_rollup'):
            k, _, v = line.partition(':')
            if k in ('Rss', 'Anonymous', 'Shared_Clean', 'Private_Clean', 'Private_Dirty'):
                rollup[k] = mib(int(v.split()[0]))
        by_mapping, current = {}, None
        for line in open(f'/proc/{d.pid}/smaps'):
            parts = line.split()
            if '-' in parts[0] and ':' not in parts[0]:
                current = os.path.basename(parts[5]) if len(parts) > 5 else '[anonymous mappings]'
            elif parts[0] == 'Rss:':
                by_mapping[current] = by_mapping.get(current, 0) + int(parts[1])
        top = sorted(((mib(v), k) for k, v in by_mapping.items() if v >= 1024), reverse=True)[:12]
        row = {'run': r + 1, 'sets': args.sets, 'env': env, 'docs_per_s': round(len(arts) / (t1 - t0), 1),
               'rss_after_ready_mib': mib(start_rss), 'steady_rss_mib': mib(kb(st['VmRSS'])), 'hwm_mib': mib(kb(st['VmHWM'])),
               'smaps_rollup_mib': rollup, 'largest_mappings_mib': top, 'loadavg': load0 + loadavg(), 'exit': d.stop()}
        print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
