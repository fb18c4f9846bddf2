#!/bin/bash
# Runs inside the booted e2e container (systemd as PID 1): installs the .deb, then drives seedwatch
# through systemctl. Each step prints PASS or FAIL with its duration; exit 1 on any FAIL.
set -euo pipefail
export SYSTEMD_PAGER= SYSTEMD_COLORS=0
INBOX=/var/lib/seedwatch/inbox
OUTBOX=/var/lib/seedwatch/outbox
SOCK=/run/seedwatch/control.sock
passed=0 failed=0
T0=$(date +%s.%N)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
step_begin() { STEP=$1; STEP_T=$(now); echo "---- $STEP"; }
pass() { passed=$((passed + 1)); echo "PASS    $STEP ($(elapsed "$STEP_T"))${1:+: $1}"; }
fail() { failed=$((failed + 1)); echo "FAIL    $STEP ($(elapsed "$STEP_T")): $1"; }
prop() { systemctl show -P "$2" "$1"; }
# wait_for SECONDS COMMAND...: polls every 0.2 s, bounded.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
is_active() { [ "$(systemctl is-active "$1" 2>/dev/null || true)" = "$2" ]; }
has_result() { compgen -G "$OUTBOX/$1.*.json" >/dev/null; }
all_results() { local n; for n in "$@"; do has_result "$n" || return 1; done; }
drop() { # drop NAME TEXT: written beside, then moved in (IN_MOVED_TO), like a careful writer
    printf '%s\n' "$2" > "$INBOX/.$1.part"; mv "$INBOX/.$1.part" "$INBOX/$1"
}
article() { echo "Article $1. The harbour authority of Westport said on Monday that the tram line will open in $1. Officials expect ten thousand riders a day. The mayor, Anna Berg, welcomed the decision."; }
dump_logs() { echo "== systemctl status"; systemctl status --no-pager seedwatch.service seedwatch.socket || true
              echo "== journal"; journalctl --no-pager -u seedwatch -n 40 || true; }

step_begin "install the .deb"
if out=$(dpkg -i /e2e/seedwatch.deb 2>&1); then
    if id seedwatch >/dev/null 2>&1 && [ -d "$INBOX" ] && [ -d "$OUTBOX" ] && [ -d /var/lib/seedwatch/quarantine ] \
       && [ -d /var/lib/seedwatch/state ] && [ -f /etc/seedwatch/seedwatch.json ] \
       && [ -f /usr/share/seedwatch/ner-conll2003.swner ] && [ -s /usr/share/bash-completion/completions/seedwatch ]; then
        pass "user seedwatch, folders, config, resources, completions present"
    else fail "installed, but user/folders/resources missing"; ls -la /var/lib/seedwatch /usr/share/seedwatch || true; fi
else fail "dpkg -i: $out"; echo "$out"; exit 1; fi

step_begin "systemd-analyze verify inside the container"
if out=$(systemd-analyze verify --man=no seedwatch.service seedwatch.socket 2>&1) && [ -z "$out" ]; then pass
else fail "output: $out"; fi

step_begin "socket activation: service idle until the first connection"
systemctl start seedwatch.socket
if ! is_active seedwatch.socket active; then fail "seedwatch.socket not active"
elif [ "$(stat -c '%a %G' "$SOCK")" != "660 seedwatch" ]; then fail "socket mode/group: $(stat -c '%a %G' "$SOCK")"
elif ! is_active seedwatch.service inactive; then fail "seedwatch.service is $(systemctl is-active seedwatch.service || true) before any connection"
else
    # The first connection starts the service (systemd queues it until the daemon accepts).
    reply=$(timeout 8 curl -fsS -m 6 --unix-socket "$SOCK" http://localhost/healthz 2>&1) && http_ok=1 || http_ok=0
    if wait_for 20 is_active seedwatch.service active; then
        pass "service started by the first connection, MainPID $(prop seedwatch.service MainPID)"
        step_begin "control API answers on the activated socket (GET /healthz)"
        if [ "$http_ok" = 1 ]; then pass "reply: $reply"
        else fail "no successful HTTP answer on $SOCK: $reply"; fi
    else fail "service not active 20 s after a connection"; dump_logs; fi
fi
is_active seedwatch.service active || systemctl start seedwatch.service

step_begin "files dropped into the inbox produce outbox results"
names=()
for f in /e2e/seeds/*; do cp "$f" "$INBOX/"; names+=("$(basename "$f")"); done
for i in 1 2 3; do drop "drop-$i.txt" "$(article "200$i")"; names+=("drop-$i.txt"); done
if wait_for 60 all_results "${names[@]}"; then
    # The entity model comes from /usr/share/seedwatch: every processor must have succeeded.
    bad=$(grep -L '"errors":{}' "$OUTBOX"/*.json || true)
    if [ -z "$bad" ] && grep -q '"entities":{"duration_ms":[0-9.]*,"status":"ok"}' "$OUTBOX"/drop-1.txt.*.json; then
        pass "${#names[@]} results in $OUTBOX, all processors ok (entities model found in /usr/share/seedwatch)"
    else fail "results with processor errors: $bad $(head -c 600 "$OUTBOX"/drop-1.txt.*.json)"; fi
else fail "missing results; outbox: $(ls "$OUTBOX" | tr '\n' ' ')"; dump_logs; fi

step_begin "systemctl status shows the daemon's STATUS"
status_text=$(prop seedwatch.service StatusText)
if [ -n "$status_text" ] && systemctl status --no-pager seedwatch.service | grep -qF "Status: \"$status_text\""; then
    pass "Status: \"$status_text\""
else fail "StatusText='$status_text'"; systemctl status --no-pager seedwatch.service || true; fi

step_begin "journal has structured entries (DOCUMENT_PATH)"
journal_has_doc() { journalctl -u seedwatch -o json --no-pager | grep -q "\"DOCUMENT_PATH\":\"$INBOX/drop-1.txt\""; }
if wait_for 10 journal_has_doc; then
    pass "$(journalctl -u seedwatch -o json --no-pager | grep -c '"DOCUMENT_PATH"') entries with DOCUMENT_PATH"
else fail "no entry with DOCUMENT_PATH=$INBOX/drop-1.txt"; journalctl -u seedwatch -o json --no-pager | tail -3; fi

step_begin "systemctl reload (SIGHUP) applies a changed key, same MainPID"
CONFIG=/etc/seedwatch/seedwatch.json
cp "$CONFIG" /run/seedwatch.json.orig
pid=$(prop seedwatch.service MainPID)
journal_of() { journalctl -o cat --no-pager "_PID=$1"; }
reloaded() { journal_of "$pid" | grep -q "configuration reloaded: ingest.settle_ms now in effect"; }
sed -i 's/"settle_ms": 0/"settle_ms": 5/' "$CONFIG"
if ! timeout 30 systemctl reload seedwatch.service; then
    fail "systemctl reload failed: $(systemctl is-active seedwatch.service || true)"; dump_logs
elif ! is_active seedwatch.service active || [ "$(prop seedwatch.service MainPID)" != "$pid" ]; then
    fail "not the same daemon after reload: MainPID $pid -> $(prop seedwatch.service MainPID), $(systemctl is-active seedwatch.service || true)"; dump_logs
elif ! wait_for 10 reloaded; then
    fail "no 'configuration reloaded: ingest.settle_ms now in effect' in the journal of $pid"; journal_of "$pid" | tail -5
else pass "same MainPID $pid, active, ingest.settle_ms applied"; fi

step_begin "systemctl reload with an invalid configuration: refused with the key named, still active"
refused() { journal_of "$pid" | grep -q "reload refused: .*'processors.summary.sentences'"; }
sed -i 's/"pipeline": {/"processors": {"summary": {"sentences": 0}}, "pipeline": {/' "$CONFIG"
if ! timeout 30 systemctl reload seedwatch.service; then
    fail "systemctl reload failed: $(systemctl is-active seedwatch.service || true)"; dump_logs
elif ! is_active seedwatch.service active || [ "$(prop seedwatch.service MainPID)" != "$pid" ]; then
    fail "not the same daemon after a refused reload: MainPID $pid -> $(prop seedwatch.service MainPID)"; dump_logs
elif ! wait_for 10 refused; then
    fail "no 'reload refused' naming processors.summary.sentences in the journal of $pid"; journal_of "$pid" | tail -5
else pass "$(journal_of "$pid" | grep -m1 'reload refused' | cut -c1-160)"; fi
cp /run/seedwatch.json.orig "$CONFIG"

step_begin "watchdog kills and restarts a daemon that stops pinging"
mkdir -p /run/systemd/system/seedwatch.service.d
printf '[Service]\nWatchdogSec=2s\nTimeoutAbortSec=3s\n' > /run/systemd/system/seedwatch.service.d/e2e-watchdog.conf
systemctl daemon-reload
timeout 30 systemctl restart seedwatch.service
restarts=$(prop seedwatch.service NRestarts); pid=$(prop seedwatch.service MainPID)
kill -STOP "$pid"
restarted() { [ "$(prop seedwatch.service NRestarts)" -gt "$restarts" ] && is_active seedwatch.service active \
              && [ "$(prop seedwatch.service MainPID)" != "$pid" ]; }
if wait_for 30 restarted; then
    pass "NRestarts $restarts -> $(prop seedwatch.service NRestarts), MainPID $pid -> $(prop seedwatch.service MainPID)"
    journalctl -u seedwatch --no-pager | grep -m1 -i watchdog || true
else fail "not restarted: NRestarts=$(prop seedwatch.service NRestarts) state=$(systemctl is-active seedwatch.service || true)"; kill -CONT "$pid" 2>/dev/null || true; dump_logs; fi
rm -f /run/systemd/system/seedwatch.service.d/e2e-watchdog.conf
systemctl daemon-reload

step_begin "systemctl restart loses no file dropped during the restart"
restart_names=()
( for i in $(seq 1 30); do drop "restart-$i.txt" "$(article "restart $i")"; sleep 0.05; done ) &
writer=$!
sleep 0.3
timeout 60 systemctl restart seedwatch.service
wait "$writer"
for i in $(seq 1 30); do restart_names+=("restart-$i.txt"); done
if wait_for 60 all_results "${restart_names[@]}"; then pass "30 of 30 files dropped around the restart have results"
else
    missing=(); for n in "${restart_names[@]}"; do has_result "$n" || missing+=("$n"); done
    fail "${#missing[@]} without result: ${missing[*]}"; dump_logs
fi

step_begin "the restarted daemon adopted the inotify fd from systemd's fd store"
pid=$(prop seedwatch.service MainPID)
adopted() { journalctl -o cat --no-pager "_PID=$pid" | grep -q "adopted the stored inotify fd"; }
if wait_for 10 adopted; then pass "$(journalctl -o cat --no-pager "_PID=$pid" | grep -m1 'adopted the stored inotify fd' | cut -c1-160)"
else fail "MainPID $pid did not log 'adopted the stored inotify fd'"; journalctl -o cat --no-pager "_PID=$pid" | head -5; fi

step_begin "systemctl stop drains and exits 0"
for i in 1 2 3 4 5; do drop "stop-$i.txt" "$(article "stop $i")"; done
# The socket goes too: a connection to it would start the service again.
timeout 60 systemctl stop seedwatch.socket seedwatch.service
code=$(prop seedwatch.service ExecMainCode); st=$(prop seedwatch.service ExecMainStatus); result=$(prop seedwatch.service Result)
if [ "$st" = 0 ] && [ "$code" = 1 ] && [ "$result" = success ]; then pass "ExecMainStatus=0 Result=success"
else fail "ExecMainCode=$code ExecMainStatus=$st Result=$result"; dump_logs; fi

echo "==== e2e: $passed passed, $failed failed in $(elapsed "$T0")"
[ "$failed" = 0 ]
