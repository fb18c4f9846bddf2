"""The hostile-input table: each case creates one or more names in the watch folder of a running daemon.

Every case has a unique prefix `hNN-`; its records are found by the relative_path of outbox results and
quarantine records starting with that prefix (for names that are not UTF-8, the escaped form starts with it too).
`expect` is a set of acceptable outcomes for the case: 'result' (processed), 'duplicate', 'q:<code>',
'none' (no record at all: ignored name or not a file); a tuple outcome lists one outcome per created name.
"""
import hashlib, os, signal, socket, stat, subprocess, time

MiB = 1 << 20
SAMPLE = b"The council approved the budget on Tuesday. Officials in Leeds said the plan would start in May.\n"


def w(path, data, mode="wb"):
    with open(path, mode) as f:
        f.write(data)


def cases(watch, outside, daemon):
    P = lambda name: os.path.join(watch, name)  # noqa: E731
    c = []

    def case(key, desc, expect, fn, names=1):
        c.append(dict(key=key, desc=desc, expect=expect, fn=fn, names=names))

    case("h01-binary.txt", "PNG bytes (NUL in the first 8 KiB)", {"q:binary"}, lambda: w(P("h01-binary.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4))
    case("h02-nul-middle.txt", "text with one NUL at byte 100", {"q:binary"}, lambda: w(P("h02-nul-middle.txt"), SAMPLE[:100] + b"\x00" + SAMPLE))
    case("h03-nul-after-8k.txt", "text with a NUL at byte 9000 (past the probe)", {"result"}, lambda: w(P("h03-nul-after-8k.txt"), (SAMPLE * 100)[:9000] + b"\x00" + SAMPLE))
    case("h04-invalid-utf8.txt", "invalid UTF-8 (0xFF 0xC3 0x28) in the middle", {"result"}, lambda: w(P("h04-invalid-utf8.txt"), SAMPLE + b"caf\xff \xc3\x28 " + SAMPLE))
    case("h05-utf16le-nobom.txt", "UTF-16LE without a BOM", {"q:binary"}, lambda: w(P("h05-utf16le-nobom.txt"), SAMPLE.decode().encode("utf-16-le")))
    case("h06-utf16le-bom.txt", "UTF-16LE with a BOM", {"result"}, lambda: w(P("h06-utf16le-bom.txt"), b"\xff\xfe" + SAMPLE.decode().encode("utf-16-le")))
    case("h07-utf16be-bom.txt", "UTF-16BE with a BOM", {"result"}, lambda: w(P("h07-utf16be-bom.txt"), b"\xfe\xff" + SAMPLE.decode().encode("utf-16-be")))
    case("h08-utf16-odd.txt", "UTF-16 BOM then an odd number of bytes", {"q:undecodable"}, lambda: w(P("h08-utf16-odd.txt"), b"\xff\xfeA\x00B"))
    case("h09-utf16-lone-surrogate.txt", "UTF-16 BOM then a lone high surrogate", {"q:undecodable"}, lambda: w(P("h09-utf16-lone-surrogate.txt"), b"\xff\xfeA\x00\x00\xd8B\x00"))
    case("h10-utf8-bom.txt", "UTF-8 with a BOM", {"result"}, lambda: w(P("h10-utf8-bom.txt"), b"\xef\xbb\xbf" + SAMPLE))
    case("h11-empty.txt", "0 bytes", {"q:empty"}, lambda: w(P("h11-empty.txt"), b""))

    def sparse():
        with open(P("h12-sparse-1g.txt"), "wb") as f:
            f.truncate(1 << 30)
    case("h12-sparse-1g.txt", "1 GB sparse file", {"q:too_large"}, sparse)
    case("h13-fifo", "a FIFO", {"q:not_regular_file"}, lambda: os.mkfifo(P("h13-fifo")))

    def sock():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(P("h14-socket"))
        s.close()
    case("h14-socket", "a Unix socket", {"q:not_regular_file"}, sock)
    case("h15-shadow.txt", "symlink to /etc/shadow", {"q:symlink"}, lambda: os.symlink("/etc/shadow", P("h15-shadow.txt")))

    def loop():
        os.symlink("h16-loop-b", P("h16-loop-a"))
        os.symlink("h16-loop-a", P("h16-loop-b"))
    case("h16-loop", "symlink loop a -> b -> a", {("q:symlink", "q:symlink")}, loop, names=2)
    case("h17-dangling", "dangling symlink", {"q:symlink"}, lambda: os.symlink("/nonexistent/x", P("h17-dangling")))
    case("h18-dirlink", "symlink to /etc (a folder outside)", {"q:symlink"}, lambda: os.symlink("/etc", P("h18-dirlink")))

    def hard_inside():
        w(P("h19-orig.txt"), b"Hard link original. " + SAMPLE)
        time.sleep(0.3)
        os.link(P("h19-orig.txt"), P("h19-link.txt"))
    case("h19-", "hard link to a file in the folder (second name, same content)", {("result", "duplicate"), ("duplicate", "result")}, hard_inside, names=2)

    def hard_outside():
        w(os.path.join(outside, "outside.txt"), b"Outside but hard-linked. " + SAMPLE)
        os.link(os.path.join(outside, "outside.txt"), P("h20-hardlink-outside.txt"))
    case("h20-hardlink-outside.txt", "hard link to a file outside the folder (same inode: in the folder)", {"result"}, hard_outside)
    case("h21-x.txt", "a directory named x.txt", {"none"}, lambda: os.mkdir(P("h21-x.txt")))

    def vanish():
        # The daemon is stopped while the file is written and removed, so its close event is queued
        # and it can only try to open the name after the unlink: the one right outcome is a vanished
        # record (a result would mean content was read that no longer existed).
        daemon.proc.send_signal(signal.SIGSTOP)
        try:
            w(P("h22-vanish.txt"), SAMPLE)
            os.unlink(P("h22-vanish.txt"))
        finally:
            daemon.proc.send_signal(signal.SIGCONT)
    case("h22-vanish.txt", "removed right after close, the daemon stopped between event and open", {"q:vanished"}, vanish)

    def growing():
        with open(P("h23-growing.txt"), "wb") as f:
            f.write(SAMPLE)
        time.sleep(0.5)
        with open(P("h23-growing.txt"), "ab") as f:
            f.write(b"More text appended later. " + SAMPLE)
    case("h23-growing.txt", "still growing: closed, then appended and closed again", {"result:final"}, growing)

    def noperm():
        w(P("h24-noperm.txt"), SAMPLE + b" no permission")
        os.chmod(P("h24-noperm.txt"), 0)
    case("h24-noperm.txt", "mode 000 (daemon runs as root here: DAC does not stop root)", {"result", "q:unreadable"}, noperm)
    case("h25-new\nline.txt", "name with a newline", {"result"}, lambda: w(P("h25-new\nline.txt"), b"Newline name. " + SAMPLE))
    case("h26-bad", "name with invalid UTF-8 (0xFF)", {"q:bad_name"}, lambda: w(os.path.join(watch.encode(), b"h26-bad\xff.txt"), b"Bad name. " + SAMPLE))
    long_name = "h27-" + "L" * (255 - 8) + ".txt"
    case("h27-", "name of 255 bytes", {"result"}, lambda: w(P(long_name), b"Long name. " + SAMPLE))
    case("h28-ctl", "control characters in the name (ESC, BEL)", {"result"}, lambda: w(P("h28-ctl\x1b[31m\x07.txt"), b"Control name. " + SAMPLE))
    case("h29-rtl", "RTL override in the name (h29-rtl\u202etxt.exe)", {"result"}, lambda: w(P("h29-rtl\u202etxt.exe"), b"RTL name. " + SAMPLE))
    case("h30-rtl-content.txt", "RTL/LTR overrides and isolates in the content", {"result"}, lambda: w(P("h30-rtl-content.txt"), ("Price \u202e01$\u202c paid. \u2066isolate\u2069 " + SAMPLE.decode()).encode()))
    case("h31-control-content.txt", "ANSI escapes, BEL, backspace, form feed in the content", {"result"}, lambda: w(P("h31-control-content.txt"), b"\x1b[2J\x1b[31mRed\x07\x08\x0c " + SAMPLE))
    case("h32-nested.html", "HTML with 1,000,000 nested <div> tags", {"result"}, lambda: w(P("h32-nested.html"), b"<html><body>" + b"<div>" * 1_000_000 + b"deep" + b"</div>" * 1_000_000 + b"</body></html>"))
    case("h33-50mb-line.txt", "a single 50 MB line (over ingest.max_size)", {"q:too_large"}, lambda: w(P("h33-50mb-line.txt"), b"word " * (10 * MiB)))
    case("h34-8mb-line.txt", "a single 8 MB line (under the limit)", {"result"}, lambda: w(P("h34-8mb-line.txt"), b"Word and text " * (600_000)))

    def zipbomb():
        import io, zipfile
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("bomb.txt", b"0" * (50 * MiB))
        w(P("h35-42.zip"), buf.getvalue())
    case("h35-42.zip", "zip bomb by name (50 MB of zeros deflated): never unpacked", {"q:binary"}, zipbomb)

    def gzbomb():
        import gzip
        w(P("h36-bomb.txt.gz"), gzip.compress(b"A" * (20 * MiB)))
    case("h36-bomb.txt.gz", "gzip bomb named .txt.gz", {"q:binary", "result"}, gzbomb)
    case("h37-.hidden", "ignored names: .h37-hidden, h37-a.part, h37-a.tmp, h37-a.swp, h37-a~", {"none"},
         lambda: [w(P(n), SAMPLE) for n in (".h37-hidden", "h37-a.part", "h37-a.tmp", "h37-a.swp", "h37-a~")])

    def nested():
        d = P("h38-deep")
        path = d
        for i in range(100):
            path = os.path.join(path, f"d{i}")
        os.makedirs(path)
        w(os.path.join(path, "deep.txt"), SAMPLE)
    case("h38-deep", "100 nested folders with a file at the bottom (ingest.recursive=false)", {"none"}, nested)
    case("h39-quote.md", "Markdown with 100,000 nested block quotes", {"result"}, lambda: w(P("h39-quote.md"), b">" * 100_000 + b" quoted\n" + SAMPLE))
    case("h40-comment.html", "HTML with an unclosed comment of 1 MB", {"result"}, lambda: w(P("h40-comment.html"), b"<p>Start.</p><!--" + b"x" * MiB))
    case("h41-entities.html", "HTML with invalid numeric entities (&#0; &#xD800; &#x110000; &#99999999999;)", {"result"},
         lambda: w(P("h41-entities.html"), b"<p>a &#0; b &#xD800; c &#x110000; d &#99999999999; e &#; &amp</p>" + SAMPLE))
    case("h42-latin1.txt", "Latin-1 text", {"result"}, lambda: w(P("h42-latin1.txt"), "Caf\u00e9 cr\u00e8me in M\u00fcnchen. ".encode("latin-1") + SAMPLE))
    case("h43-whitespace.txt", "only whitespace", {"result", "q:empty"}, lambda: w(P("h43-whitespace.txt"), b"   \n\n\t \r\n"))
    case("h44-cr.txt", "lone CR line ends and CRLF", {"result"}, lambda: w(P("h44-cr.txt"), SAMPLE.replace(b"\n", b"\r") + SAMPLE.replace(b"\n", b"\r\n")))
    case("h45-longword.txt", "a 1 MB word without spaces", {"result"}, lambda: w(P("h45-longword.txt"), b"a" * MiB))

    def chardev():
        os.mknod(P("h46-null"), 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    case("h46-null", "a character device (copy of /dev/null)", {"q:not_regular_file"}, chardev)
    case("h47-percent%2F.txt", "name with %2F (escape collision attempt)", {"result"}, lambda: w(P("h47-percent%2F.txt"), b"Percent. " + SAMPLE))

    def copy_dup():
        w(P("h48-a.txt"), b"Copied twice. " + SAMPLE)
        time.sleep(0.3)
        w(P("h48-b.txt"), b"Copied twice. " + SAMPLE)
    case("h48-", "same content under two names (copy)", {("result", "duplicate"), ("duplicate", "result")}, copy_dup, names=2)

    def swap_fifo():
        # a regular file whose event is queued, then replaced by a FIFO under the same name
        w(P("h49-swap.txt"), SAMPLE)
        os.unlink(P("h49-swap.txt"))
        os.mkfifo(P("h49-swap.txt"))
    case("h49-swap.txt", "file replaced by a FIFO right after its event", {"q:not_regular_file", "q:vanished"}, swap_fifo)

    def swap_link():
        w(P("h50-swaplink.txt"), SAMPLE + b" swap")
        os.unlink(P("h50-swaplink.txt"))
        os.symlink("/etc/shadow", P("h50-swaplink.txt"))
    case("h50-swaplink.txt", "file replaced by a symlink to /etc/shadow right after its event", {"q:symlink", "q:vanished"}, swap_link)
    case("h51-mdlinks.md", "Markdown with 200,000 unclosed link brackets", {"result"}, lambda: w(P("h51-mdlinks.md"), b"[" * 200_000 + b"](" * 1000 + SAMPLE))
    case("h52-script.html", "HTML with an unterminated <script>", {"result"}, lambda: w(P("h52-script.html"), b"<p>Visible.</p><script>var a='" + b"x" * 100_000))
    return c


def run(a, T):
    import shutil, tempfile
    base = tempfile.mkdtemp(prefix="sw-hostile-", dir=a.tmp)
    outside = os.path.join(base, "outside")
    os.makedirs(outside)
    dirs = T.Dirs(base)
    d = T.Daemon(dirs, ["--set", "log.target=stderr"], os.path.join(base, "daemon.log"))
    d.start(ready_timeout=60)
    table = cases(dirs.watch, outside, d)
    if getattr(a, "only", None):  # e.g. --only h40,h41: replay some cases
        keep = set(a.only.split(","))
        table = [cs for cs in table if cs["key"].split("-")[0] in keep]
    died_at = None
    finals = {}
    try:
        for cs in table:
            cs["fn"]()
            if cs["key"] == "h23-growing.txt":
                finals[cs["key"]] = T.sha256_file(os.path.join(dirs.watch, cs["key"]))
            if not d.alive() and died_at is None:
                died_at = cs["key"]

        def observed():
            results, quarantine, temps, problems = T.read_records(dirs)
            out = {}
            for cs in table:
                prefix = cs["key"].split("-")[0] + "-"
                match = lambda rel: isinstance(rel, str) and rel.lstrip(".").startswith(prefix)  # noqa: E731
                rec = []
                for rel, docs in results.items():
                    if match(rel):
                        rec += [(rel, "result" if x["status"] == "processed" else "duplicate", x) for x in docs]
                for rel, docs in quarantine.items():
                    if match(rel):
                        rec += [(rel, "q:" + str(x.get("code")), x) for x in docs]
                out[cs["key"]] = rec
            return out, problems

        def settled():
            out, _ = observed()
            return all(out[cs["key"]] or cs["expect"] & {"none"} for cs in table) and \
                all(len(out[cs["key"]]) >= cs["names"] for cs in table if "none" not in cs["expect"])
        T.wait_for(settled, a.drain_timeout, 0.5)
        time.sleep(3)  # cases that expect nothing: give a spurious record time to appear
        out, problems = observed()
        alive = d.alive()
        peak = d.peak_rss_kib()
    finally:
        rc = d.term() if d.alive() else d.proc.returncode
    shadow = None
    try:
        shadow = T.sha256_file("/etc/shadow")
    except OSError:
        pass
    rows, fails = [], 0
    for cs in table:
        rec = out[cs["key"]]
        kinds = tuple(k for _, k, _ in sorted(rec, key=lambda r: str(r[0])))
        got = kinds if len(kinds) != 1 else kinds[0]
        if not kinds:
            got = "none"
        ok = False
        for e in cs["expect"]:
            if e == "result:final":
                ok = kinds == ("result",) and rec[0][2]["source"]["sha256"] == finals.get(cs["key"])
            elif isinstance(e, tuple):
                ok = ok or tuple(sorted(e)) == tuple(sorted(kinds))
            else:
                ok = ok or got == e
            if ok:
                break
        for _, _, x in rec:
            src = x.get("source", x)
            if shadow and src.get("sha256") == shadow:
                ok = False
                problems.append(f"{cs['key']}: /etc/shadow was read")
        detail = ""
        for _, k, x in rec:
            if k == "result":
                errs = x.get("errors") or {}
                detail += f" enc={x.get('encoding')} fmt={x.get('format')}" + (f" errors={sorted(errs)}" if errs else "")
        fails += not ok
        rows.append((cs["key"], cs["desc"], " or ".join(sorted(map(str, cs["expect"]))), str(got) + detail, "ok" if ok else "MISMATCH"))
    print("| # | input | expected | observed | |")
    print("| --- | --- | --- | --- | --- |")
    for key, desc, exp, got, ok in rows:
        print(f"| {key.split('-')[0]} | {desc} | {exp} | {got} | {ok} |")
    print(f"hostile: cases={len(table)} mismatches={fails} daemon_alive={alive} died_at={died_at} final_exit={rc} peak_rss_mib={round(peak / 1024, 1) if peak else None}")
    for p in problems:
        print("  PROBLEM:", p)
    failed = fails or not alive or rc != 0 or problems
    if failed or a.keep:
        print(f"  kept {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    print("hostile:", "FAIL" if failed else "PASS")
    return 1 if failed else 0
