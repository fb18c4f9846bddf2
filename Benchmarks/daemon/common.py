"""Shared helpers for the daemon benchmarks: corpus files, the daemon under a NOTIFY_SOCKET, inotify via ctypes,
/proc readings. Python 3 stdlib only. Every command run is printed; every wait is bounded."""
import ctypes, ctypes.util, json, os, shutil, signal, socket, statistics, struct, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SHARED = os.environ.get('SHARED', os.path.join(ROOT, '..', 'shared'))
BBC = os.path.join(SHARED, 'eval', 'summ', 'bbc_news_summary.jsonl')
BIN = os.environ.get('SEEDWATCH_BIN', os.path.join(ROOT, '.build', 'release', 'seedwatch'))


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    log('$', ' '.join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def loadavg():
    return open('/proc/loadavg').read().split()[:3]


def tempdir(prefix, shm=False):
    base = '/dev/shm' if shm and os.path.isdir('/dev/shm') else None
    return tempfile.mkdtemp(prefix=prefix, dir=base)


def bbc_articles():
    """(name, bytes) for the 2,225 BBC articles: title, blank line, text. Written only to temporary folders."""
    out = []
    with open(BBC, encoding='utf-8') as f:
        for i, line in enumerate(f):
            a = json.loads(line)
            out.append((f'bbc{i:04d}.txt', (a['title'] + '\n\n' + a['text']).encode('utf-8')))
    return out


def write_files(folder, docs):
    os.makedirs(folder, exist_ok=True)
    for name, data in docs:
        with open(os.path.join(folder, name), 'wb') as f:
            f.write(data)


def pct(values, p):
    v = sorted(values)
    if not v:
        return float('nan')
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(values):
    return {'median': statistics.median(values), 'min': min(values), 'max': max(values), 'n': len(values)}


# ---- inotify through ctypes -------------------------------------------------------------------------------
_libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)
IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE = 0x8, 0x80, 0x100
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
_EVENT = struct.Struct('iIII')


class Inotify:
    def __init__(self, folder, mask=IN_MOVED_TO | IN_CLOSE_WRITE):
        self.fd = _libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), 'inotify_init1')
        if _libc.inotify_add_watch(self.fd, folder.encode(), mask) < 0:
            raise OSError(ctypes.get_errno(), 'inotify_add_watch ' + folder)

    def read(self, timeout):
        """Names from events within `timeout` seconds (at least one read attempt), each with its receive time."""
        import select
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return []
        now = time.monotonic()
        try:
            buf = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return []
        out, i = [], 0
        while i < len(buf):
            _wd, mask, _cookie, ln = _EVENT.unpack_from(buf, i)
            name = buf[i + 16:i + 16 + ln].rstrip(b'\0').decode('utf-8', 'surrogateescape')
            i += 16 + ln
            out.append((name, now, mask))
        return out

    def close(self):
        os.close(self.fd)


# ---- the daemon -------------------------------------------------------------------------------------------
class Daemon:
    """`seedwatch run` on given folders with a NOTIFY_SOCKET this harness binds."""

    def __init__(self, base, watch=None, outbox=None, extra_sets=(), env=None, cpus=None):
        self.base = base
        self.watch = watch or os.path.join(base, 'watch')
        self.outbox = outbox or os.path.join(base, 'outbox')
        self.state = os.path.join(base, 'state')
        self.quarantine = os.path.join(base, 'quarantine')
        for d in (self.watch, self.outbox, self.state, self.quarantine):
            os.makedirs(d, exist_ok=True)
        self.sets = ['log.target=stderr', 'log.level=warning'] + list(extra_sets)
        self.env = dict(os.environ)
        self.env.pop('WATCHDOG_USEC', None)
        self.env.update(env or {})
        self.cpus = cpus
        self.proc = None
        self.sock = None

    def start(self):
        self.sock_path = os.path.join(tempfile.mkdtemp(prefix='swnotify-'), 'notify')
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.sock_path)
        import threading
        self.received, self.taken, self.cond = [], 0, threading.Condition()
        threading.Thread(target=self._drain, daemon=True).start()
        env = dict(self.env, NOTIFY_SOCKET=self.sock_path)
        cmd = [BIN, 'run', '--watch', self.watch, '--outbox', self.outbox, '--state', self.state,
               '--quarantine', self.quarantine]
        for s in self.sets:
            cmd += ['--set', s]
        if self.cpus:
            cmd = ['taskset', '-c', self.cpus] + cmd
        log('$', ('WATCHDOG_USEC=' + env['WATCHDOG_USEC'] + ' ') if 'WATCHDOG_USEC' in env else '', 'NOTIFY_SOCKET=…',
            ' '.join(cmd))
        self.t_start = time.monotonic()
        self.errlog = open(os.path.join(self.base, 'daemon.stderr'), 'ab')
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=self.errlog)
        return self

    def _drain(self):
        # Always read the notify socket, as systemd does: a full datagram queue (net.unix.max_dgram_qlen, 10 here)
        # would block the daemon inside sd_notify.
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self.cond:
                self.received.append((time.monotonic(), data.decode('utf-8', 'replace')))
                self.cond.notify_all()

    def messages(self, timeout):
        """Datagrams received on the notify socket since the last call, waiting up to `timeout` s for one."""
        end = time.monotonic() + timeout
        with self.cond:
            while self.taken == len(self.received) and (left := end - time.monotonic()) > 0:
                self.cond.wait(left)
            out = self.received[self.taken:]
            self.taken = len(self.received)
            return out

    def wait_ready(self, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for t, m in self.messages(min(0.5, max(0, end - time.monotonic()))):
                if 'READY=1' in m.split('\n'):
                    return t - self.t_start
            if self.proc.poll() is not None:
                raise RuntimeError('daemon exited with %s' % self.proc.returncode)
        raise TimeoutError('no READY=1 within %ss' % timeout)

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.sock:
            self.sock.shutdown(socket.SHUT_RDWR)
            self.sock.close()
            shutil.rmtree(os.path.dirname(self.sock_path), ignore_errors=True)
            self.sock = None
        return self.proc.returncode if self.proc else None

    @property
    def pid(self):
        return self.proc.pid


def proc_cpu_seconds(pid):
    f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    tck = os.sysconf('SC_CLK_TCK')
    return (int(f[11]) + int(f[12])) / tck  # utime, stime (fields 14, 15)


def proc_status(pid):
    out = {}
    for line in open(f'/proc/{pid}/status'):
        k, _, v = line.partition(':')
        out[k] = v.strip()
    return out


def proc_threads_switches(pid):
    """{tid: (voluntary, involuntary)} context switches of every thread of the process."""
    out = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        vol = inv = 0
        try:
            for line in open(f'/proc/{pid}/task/{tid}/status'):
                if line.startswith('voluntary_ctxt_switches'):
                    vol = int(line.split()[1])
                elif line.startswith('nonvoluntary_ctxt_switches'):
                    inv = int(line.split()[1])
        except FileNotFoundError:
            continue
        out[tid] = (vol, inv)
    return out


def switches_between(before, after):
    """Context switches between two proc_threads_switches readings: threads alive at the end counted from the start
    (or from zero when they started in between); threads that ended in between are not counted."""
    vol = sum(v - before.get(t, (0, 0))[0] for t, (v, _) in after.items())
    inv = sum(i - before.get(t, (0, 0))[1] for t, (_, i) in after.items())
    return vol, inv, len(set(before) - set(after)), len(set(after) - set(before))


def kb(s):
    return int(s.split()[0])


def count_results(outbox):
    return sum(1 for n in os.listdir(outbox) if n.endswith('.json') and not n.startswith('.'))


def wait_results(ino, n, timeout):
    """Monotonic time at which the `n`-th result appeared in the outbox watched by `ino` (an Inotify armed
    before the files were dropped), bounded by `timeout` seconds."""
    seen, end = 0, time.monotonic() + timeout
    last = None
    while seen < n:
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f'{seen}/{n} results after {timeout}s')
        for name, t, _m in ino.read(min(left, 1.0)):
            if name.endswith('.json') and not name.startswith('.'):
                seen += 1
                last = t
    return last
