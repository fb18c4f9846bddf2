#!/usr/bin/env python3
"""The arrival-order steps' CPU per document (entity registry + topic tracker): the 2,225 BBC articles renamed at once
into a READY daemon on tmpfs, under `perf record --call-graph dwarf -p PID` from the first rename to the last result.
A sample is in an ordered step when a frame of its call stack is the registry, the tracker or a staged processor's
`complete` (--pattern, matched against the mangled Swift names); its share of the daemon's samples times the daemon's
CPU per document in the same run is the ordered steps' CPU per document (what no second core can share).
usage: Benchmarks/daemon/ordered.py [--runs 1] [--files N] [--freq 499] [--set KEY=VALUE ...]
As a module: `measure(stage_docs, ...)` runs the same on given documents (scaling.py)."""
import argparse, collections, json, os, re, shutil, signal, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

# Mangled: 14EntityRegistryC, 12TopicTrackerC, 11TopicEngineV, 17EntitiesProcessorV8complete…, 15TopicsProcessorV8complete…
ORDERED = r'EntityRegistry|TopicTracker|TopicEngine|(Entities|Topics)Processor[VC]8complete'


def user_system(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    tick = os.sysconf('SC_CLK_TCK')
    return int(fields[11]) / tick, int(fields[12]) / tick


def ordered_share(perf_data, pattern):
    """(samples, samples with a frame matching `pattern`, {outermost matching frame: samples}, {leaf frame of those
    samples, with its library: samples}) from `perf script`."""
    cmd = ['perf', 'script', '-i', perf_data, '-F', 'tid,ip,sym,dso', '--no-demangle']
    log('$', ' '.join(cmd))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors='replace')
    rx = re.compile(pattern)
    total = hits = 0
    frames, leaves = collections.Counter(), collections.Counter()
    in_sample, matched, leaf = False, None, None

    def close():
        nonlocal total, hits
        total += 1
        if matched:
            hits += 1
            frames[matched] += 1
            leaves[leaf] += 1

    for line in proc.stdout:
        if not line.strip():
            if in_sample:
                close()
            in_sample, matched, leaf = False, None, None
        elif line[0] == '\t':  # a frame; a sample's header starts with its (padded) thread id
            parts = line.strip().split(None, 1)
            name = parts[1].rsplit(' (', 1)[0].split('+0x')[0] if len(parts) > 1 else '?'
            if leaf is None:
                library = os.path.basename(parts[1].rsplit(' (', 1)[-1].rstrip(')')) if len(parts) > 1 else '?'
                leaf = f'{name} [{library}]'
            if rx.search(line):
                matched = name  # the outermost wins
        else:
            if in_sample:
                close()
            in_sample, matched, leaf = True, None, None
    if in_sample:
        close()
    proc.wait()
    return total, hits, frames, leaves


def demangled(names):
    """Swift names readable (`swift demangle --simplified`), or as they are without the toolchain."""
    try:
        out = subprocess.run(['swift', 'demangle', '--simplified', '--compact'], input='\n'.join(names), text=True,
                             capture_output=True, timeout=60).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return list(names)
    return out if len(out) == len(names) else list(names)


def measure(work, docs, *, sets=(), freq=499, pattern=ORDERED, daemon=None, call_graph='dwarf,16384'):
    """Runs `docs` [(name, bytes)] through a daemon under perf; `daemon` reuses a running one (scaling.py), else one
    is started in `work` (tmpfs) and stopped. Returns a dict of figures."""
    stage = os.path.join(work, 'stage-ordered')
    write_files(stage, docs)
    own = daemon is None
    d = daemon or Daemon(work, extra_sets=sets).start()
    try:
        if own:
            d.wait_ready()
        data, ctl, ack = (os.path.join(work, name) for name in ('perf.data', 'perf-ctl', 'perf-ack'))
        for fifo in (ctl, ack):
            if not os.path.exists(fifo):
                os.mkfifo(fifo)
        # Started disabled, enabled through its control fifo: the acknowledgement says sampling has begun.
        cmd = ['perf', 'record', '-q', '--no-buildid', '-D', '-1', '--control', f'fifo:{ctl},{ack}', '-F', str(freq),
               '--call-graph', call_graph, '-o', data, '-p', str(d.pid)]
        log('$', ' '.join(cmd))
        perf = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(ctl, 'w') as control, open(ack) as acknowledged:
            control.write('enable\n')
            control.flush()
            if acknowledged.readline().strip() != 'ack':
                raise RuntimeError('perf record did not acknowledge enable')
        ino = Inotify(d.outbox, mask=IN_MOVED_TO)
        load = loadavg()
        user0, system0 = user_system(d.pid)
        start = time.monotonic()
        for name, _ in docs:
            os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
        seen = 0
        while seen < len(docs) and time.monotonic() - start < 1200:
            seen += sum(1 for name, _, _ in ino.read(5) if name.endswith('.json') and not name.startswith('.'))
        wall = time.monotonic() - start
        user1, system1 = user_system(d.pid)
        ino.close()
        perf.send_signal(signal.SIGINT)
        perf.wait(120)
        t0 = time.monotonic()
        total, hits, frames, leaves = ordered_share(data, pattern)
        log(f'# perf script: {time.monotonic() - t0:.1f} s')
        os.remove(data)
    finally:
        if own:
            code = d.stop()
        shutil.rmtree(stage, ignore_errors=True)
    cpu = (user1 - user0 + system1 - system0) / max(seen, 1) * 1000
    share = hits / total if total else float('nan')
    row = {'docs': seen, 'seconds': round(wall, 3), 'cpu_ms_per_doc_under_perf': round(cpu, 3), 'samples': total,
           'ordered_samples': hits, 'ordered_share': round(share, 4), 'ordered_ms_per_doc': round(share * cpu, 3),
           'loadavg': load, 'top_frames': [[name, count] for name, (_, count) in zip(
               demangled([n for n, _ in frames.most_common(8)]), frames.most_common(8))],
           'ordered_by_library': collections.Counter(
               leaf.rsplit(' [', 1)[-1].rstrip(']').split('.so')[0] for leaf in leaves.elements()).most_common(6),
           'top_leaves': [[name, count] for name, (_, count) in zip(
               demangled([n for n, _ in leaves.most_common(12)]), leaves.most_common(12))]}
    if own:
        row['exit'] = code
    return row


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=1)
    ap.add_argument('--files', type=int, default=0, help='only the first N articles (0: all)')
    ap.add_argument('--freq', type=int, default=499, help='perf samples per second per thread')
    ap.add_argument('--pattern', default=ORDERED, help='regular expression on mangled frame names')
    ap.add_argument('--call-graph', default='dwarf,16384')
    ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE')
    args = ap.parse_args()
    arts = [(f'c{i:05d}.txt', body) for i, (_, body) in enumerate(bbc_articles())]
    if args.files:
        arts = arts[:args.files]
    rows = []
    for r in range(args.runs):
        work = tempdir('swbench-ordered-', shm=True)
        try:
            row = dict(run=r + 1, **measure(work, arts, sets=args.set, freq=args.freq, pattern=args.pattern,
                                            call_graph=args.call_graph))
            print(json.dumps(row), flush=True)
            rows.append(row)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f'# {len(arts)} documents, {args.runs} runs, tmpfs; median [min–max]')
    for key in ('ordered_ms_per_doc', 'ordered_share', 'cpu_ms_per_doc_under_perf'):
        s = summary([x[key] for x in rows])
        print(f'{key}: {s["median"]:.3f} [{s["min"]:.3f}–{s["max"]:.3f}]')
