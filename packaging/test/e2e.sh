#!/usr/bin/env bash
# End-to-end test of the .deb under a real systemd: builds the package, builds (once, cached) a Debian 12
# minbase root with systemd, boots it with systemd-nspawn into e2e.service, which installs the package and
# drives seedwatch through systemctl (packaging/test/inside.sh). The container exits with the test's status.
#
# Environment:
#   SEEDWATCH_E2E_ROOTFS  cached root (default /var/tmp/seedwatch-e2e-rootfs); rebuilt when its stamp differs
#   SEEDWATCH_E2E_DEBS    debootstrap package cache (default /var/tmp/seedwatch-e2e-debs)
#   SEEDWATCH_DEB         use this .deb instead of running packaging/build-deb.sh
#   SKIP_BUILD=1          build-deb.sh reuses .build/release/seedwatch
#   E2E_KEEP=DIR          keep the container's journal in DIR (read with journalctl -D DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROOTFS=${SEEDWATCH_E2E_ROOTFS:-/var/tmp/seedwatch-e2e-rootfs}
DEBS=${SEEDWATCH_E2E_DEBS:-/var/tmp/seedwatch-e2e-debs}
INCLUDE=systemd,systemd-sysv,dbus,procps,libsqlite3-0,curl
STAMP="bookworm minbase $INCLUDE"
T0=$SECONDS
log() { echo "e2e [$((SECONDS - T0))s] $*"; }

[ "$(id -u)" = 0 ] || { echo "e2e: must run as root (debootstrap, systemd-nspawn)" >&2; exit 1; }
missing=()
for p in debootstrap systemd-container; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 1. The package.
if [ -n "${SEEDWATCH_DEB:-}" ]; then DEB=$SEEDWATCH_DEB
else
    log "building the .deb"
    packaging/build-deb.sh
    DEB=$ROOT/build/deb/seedwatch.deb
fi
DEB=$(readlink -f "$DEB"); [ -f "$DEB" ] || { echo "e2e: no package at $DEB" >&2; exit 1; }
log "package $DEB"

# 2. The root, built once and reused (the container runs on an overlay: the cache stays clean).
if [ "$(cat "$ROOTFS/.seedwatch-e2e-stamp" 2>/dev/null)" != "$STAMP" ]; then
    log "debootstrap bookworm into $ROOTFS (cached afterwards)"
    rm -rf "$ROOTFS" "$ROOTFS.tmp"; mkdir -p "$DEBS"
    timeout 600 debootstrap --variant=minbase --cache-dir="$DEBS" --include="$INCLUDE" bookworm "$ROOTFS.tmp" \
        > "$ROOTFS.log" 2>&1 || { tail -20 "$ROOTFS.log" >&2; echo "e2e: debootstrap failed" >&2; exit 1; }
    echo "$STAMP" > "$ROOTFS.tmp/.seedwatch-e2e-stamp"
    mv "$ROOTFS.tmp" "$ROOTFS"
    log "rootfs ready"
else
    log "reusing cached rootfs $ROOTFS"
fi

# 3. Boot it, with the test as the target unit, in a cgroup of its own.
WORK=$(mktemp -d /tmp/seedwatch-e2e.XXXXXX)
CG=seedwatch-e2e-$$
cleanup() {
    local h
    for h in systemd unified; do
        [ -d "/sys/fs/cgroup/$h/$CG" ] || continue
        # nspawn leaves payload/, supervisor/ inside: remove the (empty) tree depth-first.
        for _ in $(seq 50); do
            find "/sys/fs/cgroup/$h/$CG" -depth -type d -exec rmdir {} + 2>/dev/null
            [ -d "/sys/fs/cgroup/$h/$CG" ] || break; sleep 0.1
        done
        [ ! -d "/sys/fs/cgroup/$h/$CG" ] || echo "e2e: could not remove cgroup /sys/fs/cgroup/$h/$CG" >&2
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/e2e/seeds" "$WORK/journal" "$WORK/out"
cp packaging/test/inside.sh "$WORK/e2e/"
cp "$DEB" "$WORK/e2e/seedwatch.deb"
cp seeds/* "$WORK/e2e/seeds/"
[ -n "${E2E_KEEP:-}" ] && mkdir -p "$E2E_KEEP" && JOURNAL=$(readlink -f "$E2E_KEEP") || JOURNAL=$WORK/journal

log "booting the container (systemd.unit=e2e.service)"
set +e
(
    for h in systemd unified; do
        if [ -d "/sys/fs/cgroup/$h" ]; then
            mkdir -p "/sys/fs/cgroup/$h/$CG" && echo "$BASHPID" > "/sys/fs/cgroup/$h/$CG/cgroup.procs"
        fi
    done
    exec timeout --kill-after=15 280 systemd-nspawn -D "$ROOTFS" --register=no --keep-unit --volatile=overlay \
        --console=passive -q --machine="$CG" \
        --bind-ro="$WORK/e2e:/e2e" \
        --bind-ro="$ROOT/packaging/test/e2e.service:/etc/systemd/system/e2e.service" \
        --bind="$JOURNAL:/var/log/journal" --bind="$WORK/out:/e2e-out" \
        -b systemd.unit=e2e.service < /dev/null
)
rc=$?
set -e
status=$(cat "$WORK/out/status" 2>/dev/null || echo none)
log "container exited with status $rc, test status $status"
if [ "$rc" != 0 ] || [ "$status" != 0 ]; then
    echo "== journal of the container (seedwatch, e2e)"
    journalctl -D "$JOURNAL" --no-pager -u seedwatch.service -u e2e.service -n 80 2>/dev/null || true
    echo "e2e: FAILED" >&2
    exit 1
fi
log "e2e: passed"
