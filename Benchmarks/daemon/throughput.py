#!/usr/bin/env python3
"""Throughput, side by side in each run: seedwatch (release build, all processors) vs the raw I/O floor vs the
Python peer pipeline, over the 2,225 BBC articles written to a temporary folder on the disk (/tmp, never the repo).
seedwatch: the daemon is started on an empty watch folder, READY=1 awaited, the outbox watched with inotify, then
every file is renamed into the watch folder at once (from a staging folder on the same file system); the clock runs
from the first rename to the 2,225th result in the outbox. Steady RSS is read 2 s after the last result.
usage: Benchmarks/daemon/throughput.py [--runs N] [--files N] [--no-peers | --peer-runs N] [--set KEY=VALUE ...]"""
import argparse, json, os, shutil, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--no-peers', action='store_true')
ap.add_argument('--files', type=int, default=0, help='only the first N articles (0: all)')
ap.add_argument('--peer-runs', type=int, default=None, help='run the peers only in the first N runs (they are slow)')
ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE',
                help='passed to the daemon, e.g. pipeline.max_in_flight=8 (repeatable)')
args = ap.parse_args()

docs = bbc_articles()
if args.files:
    docs = docs[:args.files]
N = len(docs)
work = tempdir('swbench-tp-')
floor_bin = os.path.join(work, 'floor')
run(['cc', '-O2', '-o', floor_bin, os.path.join(os.path.dirname(__file__), 'floor.c')])
peer_py = os.path.join(ROOT, '.venv-peers', 'bin', 'python')
peers = not args.no_peers and os.path.exists(peer_py)
if not args.no_peers and not peers:
    log('no .venv-peers: see ../shared/eval/README.md; peers skipped')
if peers:
    run([peer_py, os.path.join(os.path.dirname(__file__), 'peers.py'), '--train'])
src = os.path.join(work, 'src')
write_files(src, docs)
total_bytes = sum(len(d) for _, d in docs)
rows = []
try:
    for r in range(args.runs):
        row = {'run': r + 1, 'loadavg_before': loadavg()}
        # seedwatch
        base = os.path.join(work, f'sw{r}')
        stage = os.path.join(base, 'stage')
        shutil.copytree(src, stage)
        d = Daemon(base, extra_sets=args.set).start()
        d.wait_ready()
        ino = Inotify(d.outbox)
        t0 = time.monotonic()
        for name, _ in docs:
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        t1 = wait_results(ino, N, 600)
        ino.close()
        row['seedwatch_s'] = t1 - t0
        time.sleep(2)
        st = proc_status(d.pid)
        row['steady_rss_kb'], row['hwm_kb'] = kb(st['VmRSS']), kb(st['VmHWM'])
        row['seedwatch_cpu_s'] = proc_cpu_seconds(d.pid)
        row['exit'] = d.stop()
        shutil.rmtree(base)
        # raw I/O floor
        fin, fout = os.path.join(work, 'fin'), os.path.join(work, 'fout')
        shutil.copytree(src, fin)
        os.makedirs(fout)
        log('$', floor_bin, fin, fout)
        t0 = time.monotonic()
        subprocess.run([floor_bin, fin, fout], check=True, stdout=subprocess.DEVNULL)
        row['floor_s'] = time.monotonic() - t0
        shutil.rmtree(fin); shutil.rmtree(fout)
        # peers
        if peers and (args.peer_runs is None or r < args.peer_runs):
            pout = os.path.join(work, 'pout')
            cmd = [peer_py, os.path.join(os.path.dirname(__file__), 'peers.py'), src, pout]
            log('$', ' '.join(cmd))
            t0 = time.monotonic()
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
            row['peers_s'] = time.monotonic() - t0           # process start, imports and model load included
            row['peers_compute_s'] = float(out[1])           # the loop over the documents only
            shutil.rmtree(pout)
        row['loadavg_after'] = loadavg()
        for k in ('seedwatch', 'floor', 'peers', 'peers_compute'):
            if k + '_s' in row:
                row[k + '_docs_s'] = N / row[k + '_s']
        row['sw_vs_floor'] = row['seedwatch_docs_s'] / row['floor_docs_s']
        if 'peers_compute_docs_s' in row:
            row['sw_vs_peers'] = row['seedwatch_docs_s'] / row['peers_compute_docs_s']
        print(json.dumps(row), flush=True)
        rows.append(row)
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f'# {N} documents, {total_bytes/1e6:.1f} MB, {len(rows)} runs; median [min–max]')
for k in ('seedwatch_docs_s', 'floor_docs_s', 'peers_compute_docs_s', 'peers_docs_s', 'sw_vs_floor', 'sw_vs_peers',
          'steady_rss_kb', 'hwm_kb', 'seedwatch_cpu_s'):
    v = [r[k] for r in rows if k in r]
    if v:
        s = summary(v)
        print(f"{k}: {s['median']:.2f} [{s['min']:.2f}–{s['max']:.2f}]")
