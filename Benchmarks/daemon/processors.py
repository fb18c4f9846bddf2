#!/usr/bin/env python3
"""Per processor: time per document from `seedwatch process --json --processors X` (processors.X.duration_ms of each
result), one processor at a time (with what it depends on), pinned to one core (taskset -c 0).
(a) the 2,225 BBC articles: median and mean µs per document, 3 passes, the median pass reported;
(b) scaling with size: documents of 1 KB, 10 KB, 100 KB and 1 MB made by joining BBC articles (whole paragraphs),
    in a temporary folder. Never written into the repository.
usage: Benchmarks/daemon/processors.py [--passes 3] [--processors stats,text,summary,entities,topics]"""
import argparse, json, os, shutil, statistics, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403

ap = argparse.ArgumentParser()
ap.add_argument('--passes', type=int, default=3)
ap.add_argument('--processors', default='stats,text,summary,entities,topics')
args = ap.parse_args()
procs = args.processors.split(',')
DEPS = {'summary': ['text'], 'entities': ['text'], 'topics': ['text', 'entities']}

work = tempdir('swbench-proc-')


def durations(proc, files):
    cmd = ['taskset', '-c', '0', BIN, 'process', '--json', '--processors', ','.join(DEPS.get(proc, []) + [proc])]
    log('$', ' '.join(cmd), f'<{len(files)} files>')
    out = subprocess.run(cmd + files, check=True, capture_output=True, text=True).stdout
    ds = []
    for line in out.splitlines():
        r = json.loads(line)
        p = r['processors'][proc]
        if p['status'] != 'ok':
            raise RuntimeError(f"{proc} failed on {r['source']['path']}: {r.get('errors')}")
        ds.append(p['duration_ms'] * 1000)
    return ds


try:
    arts = bbc_articles()
    bbc = os.path.join(work, 'bbc')
    write_files(bbc, arts)
    files = sorted(os.path.join(bbc, n) for n, _ in arts)
    print(f'# loadavg {loadavg()}')
    print('# (a) BBC articles: processor, median µs/doc, mean µs/doc (median pass of %d), [min–max of pass medians]'
          % args.passes)
    for p in procs:
        passes = [durations(p, files) for _ in range(args.passes)]
        meds = [statistics.median(x) for x in passes]
        mid = passes[meds.index(statistics.median_low(meds))]
        print(json.dumps({'processor': p, 'docs': len(mid), 'median_us': round(statistics.median(mid), 1),
                          'mean_us': round(statistics.mean(mid), 1), 'pass_medians_us': [round(m, 1) for m in meds],
                          'loadavg': loadavg()}), flush=True)
    # (b) scaling
    paras = [p for _, d in arts for p in d.decode().split('\n\n') if p.strip()]
    sized = os.path.join(work, 'sized')
    os.makedirs(sized)
    sizes = {'1KB': (1000, 8), '10KB': (10000, 8), '100KB': (100000, 4), '1MB': (1000000, 2)}
    groups, k = {}, 0
    for label, (size, count) in sizes.items():
        groups[label] = []
        for j in range(count):
            parts, n = [], 0
            while n < size:
                parts.append(paras[k % len(paras)]); n += len(parts[-1].encode()) + 2; k += 1
            fn = os.path.join(sized, f'{label}-{j}.txt')
            with open(fn, 'w') as f:
                f.write('\n\n'.join(parts))
            groups[label].append(fn)
    print('# (b) scaling: processor, size, median µs/doc over the documents of that size (median of %d passes), µs/KB'
          % args.passes)
    for p in procs:
        for label, fs in groups.items():
            kbytes = statistics.mean(os.path.getsize(f) for f in fs) / 1000
            meds = [statistics.median(durations(p, fs)) for _ in range(args.passes)]
            m = statistics.median(meds)
            print(json.dumps({'processor': p, 'size': label, 'docs': len(fs), 'mean_kb': round(kbytes, 1),
                              'median_us': round(m, 1), 'us_per_kb': round(m / kbytes, 1),
                              'pass_medians_us': [round(x, 1) for x in meds]}), flush=True)
finally:
    shutil.rmtree(work, ignore_errors=True)
