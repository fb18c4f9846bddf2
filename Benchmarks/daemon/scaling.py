#!/usr/bin/env python3
"""Does the per-document cost stay flat? All on tmpfs, all default processors, release build.
(a) Document size: documents of ~1 KB, 10 KB, 100 KB and 1 MB (a BBC headline, a blank line, then whole BBC
    paragraphs in corpus order up to the size), renamed at once into a fresh READY daemon, one daemon per size:
    the daemon's CPU (user + system) per document and per KB.
(b) What the state already knows: two daemons, one fed the 2,225 BBC articles, the other those and then recombined
    articles up to --known documents in all (batches of 2,500, the outbox emptied between batches); then both get the
    same windows of --window new recombined documents: CPU per document (plain), and the arrival-order steps' CPU per
    document (under perf, ordered.py's attribution). A recombined document: a headline made of two BBC headlines'
    halves, a blank line, 5 paragraphs of 5 different articles of one category, in a seeded order (random.Random(i)).
The corpus is written only to temporary folders. Medians over --runs windows (b) and --runs passes (a).
usage: Benchmarks/daemon/scaling.py [--runs 3] [--known 50000] [--window 1000] [--only sizes|known] [--no-perf]"""
import argparse, json, os, random, shutil, statistics, sys, time
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import ordered

SIZES = {'1KB': (1000, 1000), '10KB': (10000, 200), '100KB': (100000, 30), '1MB': (1000000, 6)}  # bytes, documents


def user_system(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def burst(d, docs, stage, timeout=1800):
    """Renames `docs` at once into the running daemon's watch folder, waits for every result; then empties the
    outbox. Returns (documents, seconds, CPU seconds of the daemon meanwhile)."""
    write_files(stage, docs)
    ino = Inotify(d.outbox, mask=IN_MOVED_TO)
    cpu0 = user_system(d.pid)
    start = time.monotonic()
    for name, _ in docs:
        os.rename(os.path.join(stage, name), os.path.join(d.watch, name))
    seen = 0
    while seen < len(docs):
        if time.monotonic() - start > timeout:
            raise TimeoutError(f'{seen}/{len(docs)} results after {timeout} s')
        seen += sum(1 for name, _, _ in ino.read(2) if name.endswith('.json') and not name.startswith('.'))
    wall = time.monotonic() - start
    cpu = user_system(d.pid) - cpu0
    ino.close()
    for name in os.listdir(d.outbox):
        os.remove(os.path.join(d.outbox, name))
    return seen, wall, cpu


class Corpus:
    def __init__(self):
        self.articles = [json.loads(line) for line in open(BBC, encoding='utf-8')]
        self.by_category = {}
        for a in self.articles:
            self.by_category.setdefault(a['category'], []).append(a)
        self.categories = sorted(self.by_category)

    def bbc(self, prefix='b'):
        return [(f'{prefix}{i:05d}.txt', (a['title'] + '\n\n' + a['text']).encode()) for i, a in enumerate(self.articles)]

    def recombined(self, i, prefix):
        rng = random.Random(i)
        pool = self.by_category[self.categories[i % len(self.categories)]]
        sources = rng.sample(pool, 5)
        paragraphs = [rng.choice([p for p in a['text'].split('\n\n') if p.strip()]) for a in sources]
        rng.shuffle(paragraphs)
        first, second = sources[0]['title'].split(), sources[1]['title'].split()
        title = ' '.join(first[:max(1, len(first) // 2)] + second[len(second) // 2:])
        return (f'{prefix}{i:06d}.txt', (title + '\n\n' + '\n\n'.join(paragraphs)).encode())

    def sized(self, size, count, start):
        """`count` documents of about `size` bytes: a headline, then whole paragraphs in corpus order from `start`."""
        paragraphs = [(a['title'], p) for a in self.articles for p in a['text'].split('\n\n') if p.strip()]
        out, k = [], start
        for j in range(count):
            title, body, n = paragraphs[k % len(paragraphs)][0], [], 0
            while n < size:
                body.append(paragraphs[k % len(paragraphs)][1])
                n += len(body[-1].encode()) + 2
                k += 1
            out.append((f's{size}-{j:04d}.txt', (title + '\n\n' + '\n\n'.join(body)).encode()))
        return out, k


def sizes_part(corpus, runs):
    rows = {label: [] for label in SIZES}
    start = 0
    sets = {}
    for label, (size, count) in SIZES.items():
        sets[label], start = corpus.sized(size, count, start)
    for r in range(runs):
        for label, docs in sets.items():
            work = tempdir('swbench-size-', shm=True)
            try:
                d = Daemon(work).start()
                d.wait_ready()
                load = loadavg()
                n, wall, cpu = burst(d, docs, os.path.join(work, 'stage'))
                d.stop()
            finally:
                shutil.rmtree(work, ignore_errors=True)
            kb_mean = statistics.mean(len(b) for _, b in docs) / 1000
            row = {'part': 'size', 'size': label, 'run': r + 1, 'docs': n, 'mean_kb': round(kb_mean, 1),
                   'cpu_ms_per_doc': round(cpu / n * 1000, 3), 'cpu_ms_per_kb': round(cpu / n * 1000 / kb_mean, 4),
                   'docs_s': round(n / wall, 1), 'loadavg': load}
            print(json.dumps(row), flush=True)
            rows[label].append(row)
    return rows


def known_part(corpus, runs, known, window, perf):
    """{'after 2225': [...], 'after N': [...]} of window figures."""
    windows = [[corpus.recombined(10_000_000 + w * window + i, f'w{w}-') for i in range(window)] for w in range(runs)]
    perf_windows = [[corpus.recombined(20_000_000 + w * window + i, f'p{w}-') for i in range(window)]
                    for w in range(runs)] if perf else []
    out = {}
    for total in (len(corpus.articles), known):
        label = f'after {total}'
        work = tempdir('swbench-known-', shm=True)
        try:
            d = Daemon(work).start()
            d.wait_ready()
            stage = os.path.join(work, 'stage')
            t0 = time.monotonic()
            n, _, cpu = burst(d, corpus.bbc(), stage)
            fed, fed_cpu = n, cpu
            i = 0
            while fed < total:
                batch = [corpus.recombined(i + j, 'k') for j in range(min(2500, total - fed))]
                i += len(batch)
                n, _, cpu = burst(d, batch, stage)
                fed += n
                fed_cpu += cpu
                log(f'# {label}: {fed} documents fed, {time.monotonic() - t0:.0f} s')
            state_bytes = sum(os.path.getsize(os.path.join(d.state, f)) for f in os.listdir(d.state))
            log(f'# {label}: fed in {time.monotonic() - t0:.0f} s, {fed_cpu / fed * 1000:.2f} ms CPU per document; '
                f'state folder {state_bytes / 1e6:.1f} MB')
            rows = []
            for w in range(runs):
                load = loadavg()
                n, wall, cpu = burst(d, windows[w], stage)
                row = {'part': 'known', 'known': label, 'window': w + 1, 'docs': n,
                       'cpu_ms_per_doc': round(cpu / n * 1000, 3), 'docs_s': round(n / wall, 1),
                       'state_mb_before': round(state_bytes / 1e6, 1), 'loadavg': load}
                if perf:
                    o = ordered.measure(work, perf_windows[w], daemon=d)
                    for name in os.listdir(d.outbox):
                        os.remove(os.path.join(d.outbox, name))
                    row.update({'ordered_ms_per_doc': o['ordered_ms_per_doc'], 'ordered_share': o['ordered_share'],
                                'cpu_ms_per_doc_under_perf': o['cpu_ms_per_doc_under_perf'], 'top_frames': o['top_frames'],
                                'ordered_by_library': o['ordered_by_library'], 'top_leaves': o['top_leaves']})
                print(json.dumps(row), flush=True)
                rows.append(row)
            out[label] = rows
            d.stop(timeout=120)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


def median_text(values, fmt):
    return fmt.format(statistics.median(values)) + (' [' + fmt.format(min(values)) + '–' + fmt.format(max(values))
                                                    + ']' if len(values) > 1 else '')


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--known', type=int, default=50000)
    ap.add_argument('--window', type=int, default=1000)
    ap.add_argument('--only', choices=('sizes', 'known'))
    ap.add_argument('--no-perf', action='store_true', help='windows without the arrival-order steps under perf')
    args = ap.parse_args()
    if not os.path.exists(BBC):
        print(f'SKIP: {BBC} not found: the scaling benchmark needs ../shared')
        sys.exit(0)
    corpus = Corpus()
    loads = [loadavg()]
    sizes = sizes_part(corpus, args.runs) if args.only != 'known' else {}
    known = known_part(corpus, args.runs, args.known, args.window, not args.no_perf) if args.only != 'sizes' else {}
    loads.append(loadavg())
    print(f'\n# tmpfs, all default processors; medians [min–max]; load {" → ".join(" ".join(x) for x in loads)}')
    if sizes:
        print('\n| document size | documents | CPU per document, ms | CPU per KB, ms | docs/s |')
        print('| --- | --- | --- | --- | --- |')
        for label, rows in sizes.items():
            print(f'| {label} ({rows[0]["mean_kb"]} KB) | {rows[0]["docs"]} | '
                  f'{median_text([x["cpu_ms_per_doc"] for x in rows], "{:.2f}")} | '
                  f'{median_text([x["cpu_ms_per_kb"] for x in rows], "{:.3f}")} | '
                  f'{median_text([x["docs_s"] for x in rows], "{:.0f}")} |')
    if known:
        print(f'\n| window of {args.window} new recombined documents | CPU per document, ms | arrival-order steps, ms '
              f'per document | share of the CPU | docs/s |')
        print('| --- | --- | --- | --- | --- |')
        for label, rows in known.items():
            ordered_cells = (median_text([x['ordered_ms_per_doc'] for x in rows], '{:.2f}') + ' | '
                             + median_text([x['ordered_share'] * 100 for x in rows], '{:.1f}') + ' %') \
                if 'ordered_ms_per_doc' in rows[0] else 'not measured | —'
            print(f'| {label} documents (state {rows[0]["state_mb_before"]} MB) | '
                  f'{median_text([x["cpu_ms_per_doc"] for x in rows], "{:.2f}")} | {ordered_cells} | '
                  f'{median_text([x["docs_s"] for x in rows], "{:.0f}")} |')
