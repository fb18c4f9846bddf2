#!/usr/bin/env python3
"""Memory in a burst and start-up with many processed files. All folders on tmpfs (/dev/shm).
1. 100,000 tiny distinct files (about 70 bytes) are renamed into the watch folder of a running daemon at once; VmRSS is
   read after every batch of outbox events (at least every 0.5 s) until every result is in the outbox; VmHWM (peak RSS) is read at the end.
2. The daemon is stopped (SIGTERM) and started again on the same folders and state, --restarts times: time from
   spawn to READY=1 on NOTIFY_SOCKET, then the time until the catch-up scan has gone through (CPU idle again).
usage: Benchmarks/daemon/burst_startup.py [--files 100000] [--restarts 3]"""
import argparse, json, os, shutil, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--files', type=int, default=100000)
ap.add_argument('--restarts', type=int, default=3)
args = ap.parse_args()

work = tempdir('swbench-burst-', shm=True)
try:
    stage = os.path.join(work, 'stage')
    os.makedirs(stage)
    towns = ['Leeds', 'Bristol', 'Cardiff', 'Glasgow', 'Belfast', 'York', 'Bath']
    for i in range(args.files):
        with open(os.path.join(stage, f'b{i:06d}.txt'), 'w') as f:
            f.write(f'Report {i}. The council of {towns[i % 7]} met on Monday about item {i * 7919 % 100003}.\n')
    d = Daemon(work).start()
    d.wait_ready()
    st0 = proc_status(d.pid)
    ino = Inotify(d.outbox)
    load0 = loadavg()
    t0 = time.monotonic()
    for i in range(args.files):
        n = f'b{i:06d}.txt'
        os.rename(os.path.join(stage, n), os.path.join(d.watch, n))
    t_renamed = time.monotonic() - t0
    seen, samples, end = 0, [], t0 + 1800
    while seen < args.files and time.monotonic() < end:
        seen += sum(1 for n, _, _ in ino.read(0.5) if n.endswith('.json') and not n.startswith('.'))
        samples.append((round(time.monotonic() - t0, 1), kb(proc_status(d.pid)['VmRSS'])))
    t1 = time.monotonic()
    ino.close()
    st = proc_status(d.pid)
    burst = {'files': args.files, 'results': seen, 'rename_all_s': round(t_renamed, 2), 'seconds': round(t1 - t0, 1),
             'docs_s': round(seen / (t1 - t0), 1), 'rss_before_kb': kb(st0['VmRSS']),
             'rss_max_sampled_kb': max(s for _, s in samples), 'vmhwm_kb': kb(st['VmHWM']),
             'rss_end_kb': kb(st['VmRSS']), 'cpu_s': proc_cpu_seconds(d.pid), 'loadavg': load0 + loadavg(),
             'rss_every_10_samples': samples[::10], 'exit': d.stop()}
    print(json.dumps(burst), flush=True)
    ready = []
    for r in range(args.restarts):
        d = Daemon(work).start()
        t_ready = d.wait_ready()
        t_r = time.monotonic()
        # catch-up done: CPU time stops growing for 1 s
        last, prev = None, -1.0
        while time.monotonic() - t_r < 300:
            c = proc_cpu_seconds(d.pid)
            if c == prev:
                break
            prev = c
            time.sleep(1)
        catch_up = time.monotonic() - t_r - 1
        row = {'restart': r + 1, 'files_in_folder': len(os.listdir(d.watch)), 'ready_s': round(t_ready, 4),
               'catch_up_done_after_ready_s': round(catch_up, 1), 'cpu_s': proc_cpu_seconds(d.pid),
               'results_after': count_results(d.outbox), 'loadavg': loadavg(), 'exit': d.stop()}
        print(json.dumps(row), flush=True)
        ready.append(row['ready_s'])
    s = summary(ready)
    print(f"# burst: peak RSS (VmHWM) {burst['vmhwm_kb']/1024:.1f} MB, end {burst['rss_end_kb']/1024:.1f} MB, "
          f"{burst['docs_s']} docs/s; time to READY=1 with {args.files} processed files: "
          f"median {s['median']:.3f} s [{s['min']:.3f}–{s['max']:.3f}] over {len(ready)} restarts")
finally:
    shutil.rmtree(work, ignore_errors=True)
