#!/usr/bin/env python3
"""Issue 23's table in one run (`make bench`): each figure measured by its own script, once per round, the rounds
interleaved so that the load of the shared machine falls on every figure alike; the median over the rounds and the
range are printed with the target and whether it is met. Ratios are taken within a round (same minutes).
  daemon ÷ floor     throughput.py --no-peers (disk): 2,225 articles renamed into a READY daemon; floor.c, same files
  process ÷ peers    `seedwatch process --json` on the files (disk, wall time, start-up included) against peers.py
                     (sumy TextRank + CRF tagger, one thread, its loop only): docs/s over docs/s
  CPU per document   cpu.py (tmpfs): user + system of the daemon from the first rename to the last result
  ordered steps      ordered.py (tmpfs, under perf): entity registry + topic tracker, CPU per document
  state written      state_writes.py (tmpfs, under strace): WAL bytes per document, all state minus the ledger alone
  latency            latency.py (disk): 50 files/s for --latency-seconds, rename to the result's IN_MOVED_TO
  steady RSS         memory.py (disk): 2 s after the last of the 2,225 results
Without ../shared (the BBC articles) it says so and exits 0. Without .venv-peers (`make peers-venv`) the peers' row
says "not measured". Release build (SEEDWATCH_BIN= for another). Scripts' own output goes to --log.
usage: Benchmarks/daemon/table.py [--runs 3] [--quick] [--latency-seconds 60] [--no-peers] [--log PATH]"""
import argparse, json, os, shutil, statistics, subprocess, sys, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument('--runs', type=int, default=3, help='rounds; each figure is the median over them')
ap.add_argument('--quick', action='store_true', help='smoke run: 1 round, 300 articles, 10 s of latency')
ap.add_argument('--latency-seconds', type=float, default=60)
ap.add_argument('--no-peers', action='store_true')
ap.add_argument('--log', default=os.path.join(common.ROOT, '.build', 'bench', 'table.log'))
args = ap.parse_args()

if not os.path.exists(common.BBC):
    print(f'SKIP: {common.BBC} not found: make bench needs ../shared (the BBC articles); nothing measured')
    sys.exit(0)
if not os.access(common.BIN, os.X_OK):
    print(f'{common.BIN} not found: build it first (make release)', file=sys.stderr)
    sys.exit(1)

runs = 1 if args.quick else args.runs
files = 300 if args.quick else 0
latency_seconds = 10 if args.quick else args.latency_seconds
peer_py = os.path.join(common.ROOT, '.venv-peers', 'bin', 'python')
peers = not args.no_peers and os.path.exists(peer_py)
os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
logf = open(args.log, 'a')


def say(*a):
    print(*a, flush=True)


def script(name, *extra):
    """Runs Benchmarks/daemon/<name> and returns the JSON rows it printed; its other output goes to the log."""
    cmd = [sys.executable, os.path.join(HERE, name), *extra]
    logf.write('$ ' + ' '.join(cmd) + '\n')
    logf.flush()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=logf, text=True).stdout
    logf.write(out)
    return [json.loads(line) for line in out.splitlines() if line.startswith('{')]


def process_against_peers(folder, work):
    """docs/s of `seedwatch process --json` and of the peers on the same folder, one after the other."""
    n = len([x for x in os.listdir(folder) if not x.startswith('.')])
    cmd = [common.BIN, 'process', '--json', folder]
    logf.write('$ ' + ' '.join(cmd) + ' > results.jsonl\n')
    with open(os.path.join(work, 'results.jsonl'), 'w') as out:
        t0 = time.monotonic()
        code = subprocess.run(cmd, stdout=out, stderr=logf).returncode
        process_s = time.monotonic() - t0
    if code not in (0, 3):
        raise RuntimeError(f'seedwatch process exited {code}')
    row = {'process_docs_s': n / process_s}
    if peers:
        pout = os.path.join(work, 'peers-out')
        cmd = [peer_py, os.path.join(HERE, 'peers.py'), folder, pout]
        logf.write('$ ' + ' '.join(cmd) + '\n')
        done, seconds = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=logf, text=True).stdout.split()
        shutil.rmtree(pout, ignore_errors=True)
        row['peers_docs_s'] = int(done) / float(seconds)
        row['process_vs_peers'] = row['process_docs_s'] / row['peers_docs_s']
    return row


sub = ['--files', str(files)] if files else []
figures = {}   # key -> values over the rounds


def add(key, value):
    figures.setdefault(key, []).append(value)


loads = [common.loadavg()]
started = time.time()
say(f'# make bench: {runs} round(s){" (quick: 300 articles, 10 s of latency)" if args.quick else ""}; '
    f'log in {args.log}; load {" ".join(loads[0])}')
if not args.no_peers and not peers:
    say('# peers not measured: no .venv-peers (make peers-venv)')
if peers:
    common.run([peer_py, os.path.join(HERE, 'peers.py'), '--train'], stderr=logf)
work = common.tempdir('swbench-table-')
try:
    arts = common.bbc_articles()[:files or None]
    folder = os.path.join(work, 'articles')
    common.write_files(folder, arts)
    for r in range(runs):
        load = ' '.join(common.loadavg())
        (t,) = script('throughput.py', '--runs', '1', '--no-peers', *sub)
        add('floor', t['sw_vs_floor']); add('daemon_docs_s', t['seedwatch_docs_s']); add('floor_docs_s', t['floor_docs_s'])
        p = process_against_peers(folder, work)
        for k, v in p.items():
            add(k, v)
        (c,) = script('cpu.py', '--runs', '1', *sub)
        add('cpu', c['cpu_ms_per_doc'])
        (o,) = script('ordered.py', '--runs', '1', *sub)
        add('ordered', o['ordered_ms_per_doc']); add('ordered_share', o['ordered_share'])
        (s,) = script('state_writes.py', '--runs', '1', *sub)
        (s0,) = script('state_writes.py', '--runs', '1', *sub, '--set', 'processors.topics.enabled=false',
                       '--set', 'processors.entities.enabled=false')
        add('state_kb', s['wal_kb_per_doc'] - s0['wal_kb_per_doc'])
        add('state_frames', s['wal_frames_per_doc'] - s0['wal_frames_per_doc'])
        add('ledger_kb', s0['wal_kb_per_doc'])
        (l,) = script('latency.py', '--runs', '1', '--rate', '50', '--seconds', str(latency_seconds))
        add('p50', l['p50_ms']); add('p99', l['p99_ms'])
        (m,) = script('memory.py', '--runs', '1', *sub)
        add('rss', m['steady_rss_mib'])
        say(f'round {r + 1}/{runs} (load {load}): daemon÷floor {t["sw_vs_floor"]:.3f}, process '
            f'{p["process_docs_s"]:.0f} docs/s' + (f' ÷ peers {p["peers_docs_s"]:.1f} = {p["process_vs_peers"]:.1f}×' if peers else '')
            + f', CPU {c["cpu_ms_per_doc"]:.2f} ms, ordered {o["ordered_ms_per_doc"]:.2f} ms, state '
            f'{figures["state_kb"][-1]:.1f} KB, latency {l["p50_ms"]:.2f}/{l["p99_ms"]:.2f} ms, RSS {m["steady_rss_mib"]} MiB')
        loads.append(common.loadavg())
finally:
    shutil.rmtree(work, ignore_errors=True)


def med(key, fmt='{:.2f}'):
    v = figures.get(key)
    if not v:
        return None, 'not measured'
    m = statistics.median(v)
    text = fmt.format(m)
    if len(v) > 1:
        text += ' [' + fmt.format(min(v)) + '–' + fmt.format(max(v)) + ']'
    return m, text


def met(value, ok):
    return '—' if value is None else ('yes' if ok(value) else 'no')


rows = []
v, text = med('floor', '{:.3f}')
rows.append(('daemon end to end ÷ raw I/O floor (disk)', text + ' (%s ÷ %s docs/s)' % (med('daemon_docs_s', '{:.0f}')[1].split()[0], med('floor_docs_s', '{:.0f}')[1].split()[0]), '≥ 0.5', met(v, lambda x: x >= 0.5)))
v, text = med('process_vs_peers', '{:.1f}')
rows.append(('`seedwatch process --json` ÷ the Python peers', (text + '×' if v else text) + (' (%s ÷ %s docs/s)' % (med('process_docs_s', '{:.0f}')[1].split()[0], med('peers_docs_s', '{:.1f}')[1].split()[0]) if v else ''), '≥ 20×', met(v, lambda x: x >= 20)))
v, text = med('cpu')
rows.append(('CPU per document (user + system, tmpfs)', text + ' ms', '≤ 1.2 ms', met(v, lambda x: x <= 1.2)))
v, text = med('ordered')
rows.append(('arrival-order steps per document (registry + topics, CPU, perf)', text + ' ms (%s of the CPU)' % med('ordered_share', '{:.1%}')[1].split()[0], '≤ 0.3 ms', met(v, lambda x: x <= 0.3)))
v, text = med('state_kb', '{:.1f}')
rows.append(('state written per document (topics + registry, WAL)', text + ' KB, %s WAL pages (ledger alone %s KB)' % (med('state_frames', '{:.1f}')[1].split()[0], med('ledger_kb', '{:.1f}')[1].split()[0]), '≤ 2 KB', met(v, lambda x: x <= 2)))
p50, t50 = med('p50'); p99, t99 = med('p99')
rows.append((f'latency drop to outbox at 50 docs/s, p50 / p99 (disk, {latency_seconds:g} s)', f'{t50} / {t99} ms', '≤ 3 / ≤ 10 ms', met(p50, lambda _: p50 <= 3 and p99 <= 10)))
v, text = med('rss', '{:.1f}')
rows.append(('steady RSS after the run', text + ' MiB = %.1f MB' % (v * 1.048576) if v else text, '≤ 50 MB', met(v, lambda x: x * 1.048576 <= 50)))

n = len(arts)
say('')
say(f'{n} BBC articles (headline, blank line, body), all default processors, {runs} round(s), medians [min–max]; '
    f'{os.path.relpath(common.BIN, common.ROOT)}; {time.strftime("%Y-%m-%d %H:%M", time.gmtime(started))}–'
    f'{time.strftime("%H:%M", time.gmtime())} UTC; load {" → ".join(" ".join(l) for l in loads)}')
say('')
say('| figure | measured | target | met? |')
say('| --- | --- | --- | --- |')
for row in rows:
    say('| ' + ' | '.join(row) + ' |')
busiest = max(float(l[0]) for l in loads)
if busiest > 2 * os.cpu_count():
    say(f'\nnote: load up to {busiest:g} on {os.cpu_count()} cores: times (CPU, latency, the floor and so its ratio) '
        'describe the machine more than the daemon; rerun on a quiet machine before comparing them with the targets')
