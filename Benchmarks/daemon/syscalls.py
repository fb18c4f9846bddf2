#!/usr/bin/env python3
"""System calls per document: `strace -f -c` attached to a daemon that is READY while N of the BBC articles are
renamed into its watch folder, detached once the N-th result is in the outbox. Prints the calls per document of the
result write (openat, write, fsync, close, rename, getpid, getrandom) and of everything. strace slows the daemon
down: read the counts, not the times. Folders on the disk (/tmp) unless --shm.
With --perf, only the result-write calls are counted, by perf tracepoints, with the daemon started under `perf stat`.
usage: Benchmarks/daemon/syscalls.py [--files 500] [--runs 1] [--shm] [--perf]"""
import argparse, os, shutil, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import common

ap = argparse.ArgumentParser()
ap.add_argument('--files', type=int, default=500)
ap.add_argument('--runs', type=int, default=1)
ap.add_argument('--shm', action='store_true', help='folders on tmpfs (/dev/shm)')
ap.add_argument('--perf', action='store_true',
                help='count the result-write calls with perf tracepoints (the daemon started under `perf stat`), '
                     'not strace: nearly no slow-down, so documents overlap as they do untraced')
args = ap.parse_args()

WRITE_CALLS = ['openat', 'write', 'fsync', 'close', 'rename', 'getpid', 'getrandom']


def perf_wrapper(work, out):
    """A script that starts the daemon under `perf stat`, counting the result-write calls of all its threads."""
    events = ','.join(f'syscalls:sys_enter_{c}' for c in WRITE_CALLS)
    path = os.path.join(work, 'seedwatch-under-perf')
    with open(path, 'w') as f:
        f.write(f'#!/bin/sh\nexec perf stat -x, -o {out} -e {events} -- {common.BIN} "$@"\n')
    os.chmod(path, 0o755)
    return path


def parse_perf(path):
    calls = {}
    for line in open(path):
        fields = line.strip().split(',')
        if len(fields) > 2 and fields[2].startswith('syscalls:sys_enter_') and fields[0].isdigit():
            calls[fields[2][len('syscalls:sys_enter_'):]] = int(fields[0])
    return calls


def parse_summary(path):
    calls = {}
    for line in open(path):
        parts = line.split()
        # "% time seconds usecs/call calls [errors] syscall"
        if len(parts) >= 5 and parts[-1].isidentifier() and parts[0][0].isdigit() and parts[-1] != 'total':
            calls[parts[-1]] = int(parts[3])
    return calls


arts = bbc_articles()[:args.files]
for run_index in range(args.runs):
    work = tempdir('swbench-sys-', shm=args.shm)
    try:
        stage = os.path.join(work, 'stage')
        write_files(stage, [(f's{i:05d}.txt', body) for i, (_, body) in enumerate(arts)])
        out = os.path.join(work, 'counts.txt')
        if args.perf:
            real, common.BIN = common.BIN, perf_wrapper(work, out)
            d = Daemon(work).start()
            common.BIN = real
        else:
            d = Daemon(work).start()
        d.wait_ready()
        if not args.perf:
            cmd = ['strace', '-f', '-c', '-o', out, '-p', str(d.pid)]
            log('$', ' '.join(cmd))
            tracer = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
            time.sleep(1)  # strace attaches to every thread before the files arrive
        ino = Inotify(d.outbox)
        for name in sorted(os.listdir(stage)):
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        wait_results(ino, len(arts), 900)
        # The last result's folder fsync and ledger row: wait for the daemon to go idle.
        time.sleep(2)
        if args.perf:
            # SIGTERM to the daemon, perf's child: perf writes its counts when it exits.
            child = int(subprocess.run(['pgrep', '-P', str(d.pid)], capture_output=True, text=True).stdout.split()[0])
            os.kill(child, signal.SIGTERM)
            d.proc.wait(60)
            d.stop()
            calls = parse_perf(out)
        else:
            tracer.send_signal(signal.SIGINT)
            tracer.wait(60)
            d.stop()
            calls = parse_summary(out)
        n = len(arts)
        row = {c: round(calls.get(c, 0) / n, 2) for c in WRITE_CALLS}
        if not args.perf:
            row['all'] = round(sum(calls.values()) / n, 1)
        row['others'] = {c: round(k / n, 2) for c, k in sorted(calls.items(), key=lambda x: -x[1])
                         if c not in WRITE_CALLS and k / n >= 0.5}
        row['files'] = n
        row['shm'] = args.shm
        print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
