#!/usr/bin/env python3
"""seedwatch plugin, persistent mode: the most frequent content words of each document.

Reads request lines on stdin until end of input and answers each with one response line
(docs/PLUGINS.md). Requests are handled by a small pool of threads, so answers may come back
in a different order than the requests: seedwatch matches them by id.
"""
import collections
import json
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

STOP = set("""a an and are as at be but by for from has have he her his i in is it its of on or
our she that the their them they this to was were will with you your not no so if than then there
which who whom what when where why how all any can could would should may might must do does did
been being into over under about after before said says also more most other some such only own
same very just up out we us him""".split())
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
TOP = int(os.environ.get("KEYWORDS_TOP", "5"))
write_lock = threading.Lock()


def keywords(text):
    counts = collections.Counter(
        w.lower() for w in WORD.findall(text) if len(w) > 2 and w.lower() not in STOP
    )
    return [{"word": w, "count": c} for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def answer(line):
    try:
        request = json.loads(line)
        request_id = request["id"]
    except (ValueError, KeyError, TypeError) as error:
        print(f"keywords: bad request: {error}", file=sys.stderr, flush=True)
        return
    try:
        if request.get("protocol") != 1:
            raise ValueError(f"unsupported protocol {request.get('protocol')!r}")
        response = {"id": request_id, "result": {"keywords": keywords(request["document"]["text"])}}
    except (ValueError, KeyError, TypeError) as error:
        response = {"id": request_id, "error": {"code": "bad_request", "message": str(error)}}
    with write_lock:
        sys.stdout.write(json.dumps(response, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def main():
    with ThreadPoolExecutor(max_workers=4) as pool:
        for line in sys.stdin:
            if line.strip():
                pool.submit(answer, line)


if __name__ == "__main__":
    main()
