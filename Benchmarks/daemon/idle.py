#!/usr/bin/env python3
"""Idle cost: the daemon started on an empty watch folder, READY=1 awaited, 5 s to settle, then 60 s idle: CPU time
(utime+stime from /proc/PID/stat) and context switches summed over all threads (/proc/PID/task/*/status), and the
datagrams it sent to NOTIFY_SOCKET. Without WATCHDOG_USEC, and with WATCHDOG_USEC=10000000 (pings every 5 s).
usage: Benchmarks/daemon/idle.py [--runs N] [--seconds 60]"""
import argparse, json, os, shutil, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--seconds', type=float, default=60)
args = ap.parse_args()

rows = []
for r in range(args.runs):
    for wd in (None, '10000000'):
        work = tempdir('swbench-idle-')
        try:
            d = Daemon(work, env={'WATCHDOG_USEC': wd} if wd else {}).start()
            d.wait_ready()
            d.messages(5)
            while d.messages(0.01):
                pass
            cpu0, sw0, t0 = proc_cpu_seconds(d.pid), proc_threads_switches(d.pid), time.monotonic()
            threads = len(os.listdir(f'/proc/{d.pid}/task'))
            msgs = []
            end = t0 + args.seconds
            while time.monotonic() < end:
                msgs += d.messages(end - time.monotonic())
            cpu1, sw1, t1 = proc_cpu_seconds(d.pid), proc_threads_switches(d.pid), time.monotonic()
            vol, inv, ended, started = switches_between(sw0, sw1)
            row = {'run': r + 1, 'WATCHDOG_USEC': wd, 'seconds': round(t1 - t0, 2), 'cpu_s': round(cpu1 - cpu0, 3),
                   'cpu_pct': round(100 * (cpu1 - cpu0) / (t1 - t0), 3), 'voluntary': vol, 'involuntary': inv,
                   'threads': threads, 'threads_ended': ended, 'threads_started': started, 'notify_msgs': len(msgs),
                   'watchdog_pings': sum('WATCHDOG=1' in m for _, m in msgs), 'loadavg': loadavg(), 'exit': d.stop()}
            print(json.dumps(row), flush=True)
            rows.append(row)
        finally:
            shutil.rmtree(work, ignore_errors=True)
for wd in (None, '10000000'):
    sel = [x for x in rows if x['WATCHDOG_USEC'] == wd]
    print(f'# WATCHDOG_USEC={wd}: {len(sel)} runs of {args.seconds:.0f} s; median [min–max]')
    for k in ('cpu_s', 'voluntary', 'involuntary', 'watchdog_pings', 'notify_msgs'):
        s = summary([x[k] for x in sel])
        print(f"{k}: {s['median']} [{s['min']}–{s['max']}]")
