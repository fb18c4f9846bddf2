#!/usr/bin/env python3
"""CPU per document: the 2,225 BBC articles renamed at once into the watch folder of a daemon that is READY, on tmpfs
(/dev/shm, so the disk's fsync cost and its noise stay out) unless --disk; from the first rename to the last result
in the outbox (inotify, IN_MOVED_TO only): the daemon's user and system CPU per document (/proc/PID/stat), the rate,
and context switches per document (summed over /proc/PID/task/*/status at the end, start-up included).
usage: Benchmarks/daemon/cpu.py [--runs 3] [--files N] [--disk] [--set KEY=VALUE ...]"""
import argparse, glob, json, os, shutil, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--disk', action='store_true', help='folders on the disk (/tmp) instead of tmpfs')
ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE')
ap.add_argument('--files', type=int, default=0, help='only the first N articles (0: all)')
args = ap.parse_args()


def user_system(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    tick = os.sysconf('SC_CLK_TCK')
    return int(fields[11]) / tick, int(fields[12]) / tick


def switches(pid):
    total = 0
    for path in glob.glob(f'/proc/{pid}/task/*/status'):
        try:
            for line in open(path):
                if 'ctxt_switches' in line:
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


arts = bbc_articles()
if args.files:
    arts = arts[:args.files]
rows = []
for run_index in range(args.runs):
    work = tempdir('swbench-cpu-', shm=not args.disk)
    try:
        stage = os.path.join(work, 'stage')
        write_files(stage, [(f'c{i:05d}.txt', body) for i, (_, body) in enumerate(arts)])
        d = Daemon(work, extra_sets=args.set).start()
        d.wait_ready()
        ino = Inotify(d.outbox, mask=IN_MOVED_TO)
        load = loadavg()
        user0, system0 = user_system(d.pid)
        start = time.monotonic()
        for name in sorted(os.listdir(stage)):
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        seen = 0
        while seen < len(arts) and time.monotonic() - start < 600:
            seen += sum(1 for name, _, _ in ino.read(5) if name.startswith('c') and name.endswith('.json'))
        wall = time.monotonic() - start
        user1, system1 = user_system(d.pid)
        row = {'run': run_index + 1, 'docs': seen, 'seconds': round(wall, 3), 'docs_s': round(seen / wall, 1),
               'user_ms_per_doc': round((user1 - user0) / seen * 1000, 3),
               'system_ms_per_doc': round((system1 - system0) / seen * 1000, 3),
               'cpu_ms_per_doc': round((user1 - user0 + system1 - system0) / seen * 1000, 3),
               'switches_per_doc': round(switches(d.pid) / seen, 1), 'loadavg': load, 'disk': args.disk}
        ino.close()
        row['exit'] = d.stop()
        print(json.dumps(row), flush=True)
        rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)

print(f'# {len(arts)} documents, {args.runs} runs, {"disk" if args.disk else "tmpfs"}; median [min–max]')
for key in ('cpu_ms_per_doc', 'user_ms_per_doc', 'system_ms_per_doc', 'docs_s', 'switches_per_doc'):
    s = summary([r[key] for r in rows])
    print(f'{key}: {s["median"]:.2f} [{s["min"]:.2f}–{s["max"]:.2f}]')
