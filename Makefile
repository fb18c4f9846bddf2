# seedwatch — common tasks. `make run` and `make test` are the two set-up commands in the README.
SHELL := /bin/bash
SWIFT ?= swift
SHARED ?= ../shared
APT_PACKAGES := libsystemd-dev libsqlite3-dev systemd prometheus chromium chromium-driver python3-venv bindfs fuse3 postgresql
BIN_RELEASE := .build/release/seedwatch
# The release build is the one the .deb ships (packaging/build-deb.sh): Swift's libraries linked in
# statically, which holds ~2 MiB less resident than mapping libswiftCore and FoundationEssentials,
# and one set of flags means one release build (CI's e2e and torture share it).
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -warnings-as-errors

.PHONY: deps journald build release cluster run test browser-test eval-topics bench-topics eval-summary bench-summary ner-train bench-ner bench-ner-process bench-ner-linear test-entities clean

## Install the system packages the build needs, when missing (Debian 12; root or sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## Start a journald when none runs (machines without systemd as PID 1), so journal tests have one.
journald:
	@if ! pgrep -x systemd-journal >/dev/null; then \
	  mkdir -p /run/systemd/journal; \
	  (/lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &); \
	  for i in $$(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done; \
	fi

build: deps
	$(SWIFT) build -Xswiftc -warnings-as-errors

## The daemon on SQLite. `seedwatch-cluster` (PostgreSQL, `database.url`) is built apart: `make cluster`.
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product seedwatch

## seedwatch-cluster beside seedwatch: what `seedwatch` hands over to when database.url is set (README "Cluster").
cluster: release
	$(SWIFT) build $(RELEASE_FLAGS) --product seedwatch-cluster

## Run the daemon on the default configuration: watch seeds/, write outbox/, state in state/.
run: release
	$(BIN_RELEASE) run

## The test suite (unit, integration and end-to-end against real inotify, journald and sockets).
test: deps journald
	@# The suite runs dozens of daemons and folder watchers side by side: each holds an inotify instance, and
	@# Debian's default of 128 per user runs out (inotify_init1: EMFILE). Raised when we may; said when not.
	@if [ "$$(cat /proc/sys/fs/inotify/max_user_instances)" -lt 1024 ]; then \
	  sysctl -qw fs.inotify.max_user_instances=1024 2>/dev/null || \
	  echo "note: fs.inotify.max_user_instances is below 1024; as root: sysctl -w fs.inotify.max_user_instances=1024"; \
	fi
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	@# A bound, so that a hung test fails the run with its output instead of stalling CI.
	timeout --kill-after=30 1500 $(SWIFT) test --skip-build

## The dashboard in headless Chromium, driven by Selenium (from PyPI, in a venv made here): a known stream,
## the timeline, alerts, a document, a reprocess, JavaScript off. Saves .build/browser-test/timeline.png
## (SCREENSHOT=docs/img/timeline.png refreshes the README's). Prints "SKIP:" without chromium (CI refuses skips).
BROWSER_VENV := .build/browser-venv
SCREENSHOT ?= .build/browser-test/timeline.png
browser-test: deps
	$(SWIFT) build --product seedwatch -Xswiftc -warnings-as-errors
	@[ -x $(BROWSER_VENV)/bin/python ] || python3 -m venv $(BROWSER_VENV)
	@$(BROWSER_VENV)/bin/python -c 'import selenium' 2>/dev/null || $(BROWSER_VENV)/bin/pip install -q 'selenium>=4.10,<5'
	@status=0; timeout --kill-after=10 300 $(BROWSER_VENV)/bin/python Tests/browser/dashboard_test.py .build/debug/seedwatch --screenshot $(SCREENSHOT) || status=$$?; \
	if [ $$status = 77 ]; then exit 0; fi; exit $$status

## Summary evaluation against the peers on the BBC test split (ROUGE, rouge-score with stemming).
eval-summary:
	Benchmarks/summary/eval.sh

bench-summary:
	$(SWIFT) build $(RELEASE_FLAGS) --product seedwatch && taskset -c 0 $(BIN_RELEASE) eval summary --split all --passes 5

## Retrain the shipped entity model (reproducible; see docs/ENTITIES.md).
ner-train:
	$(SWIFT) build $(RELEASE_FLAGS) --product seedwatch && $(BIN_RELEASE) train-ner --train $(SHARED)/eval/ner/conll2003/train.conll --dev $(SHARED)/eval/ner/conll2003/dev.conll --unlabeled $(SHARED)/eval/summ/bbc_news_summary.jsonl --gazetteer Benchmarks/ner/gazetteer-places.tsv --train-on-dev --out Sources/SeedwatchProcessors/Resources/ner-conll2003.swner

bench-ner:
	Benchmarks/ner/run.sh

bench-ner-process:
	Benchmarks/ner/process_speed.sh

bench-ner-linear:
	Benchmarks/ner/linear_cost.sh

## Topic tracker: new-story detection and topic-shift figures (docs/TOPICS.md), and its throughput.
eval-topics:
	$(SWIFT) build $(RELEASE_FLAGS) --product seedwatch && sh Benchmarks/topics/eval.sh

bench-topics:
	$(SWIFT) build $(RELEASE_FLAGS) --product seedwatch && $(BIN_RELEASE) eval topics --synthetic 100000

clean:
	rm -rf .build outbox state quarantine

# ---------------------------------------------------------------------------------------------------
# Packaging (issue 6): the .deb, unit-file checks, end-to-end test under a real systemd in a container.
# ---------------------------------------------------------------------------------------------------
.PHONY: deb check-units e2e
UNITS := packaging/systemd/seedwatch.service packaging/systemd/seedwatch.socket
# systemd-analyze security's --threshold is in tenths on v252: 15 means an exposure score of 1.5.
SECURITY_THRESHOLD ?= 15

## build/deb/seedwatch_<version>_<arch>.deb (release build, static Swift stdlib). SKIP_BUILD=1 reuses the binary.
deb:
	packaging/build-deb.sh

## systemd-analyze verify prints nothing (any output fails), security exposure <= 1.5.
check-units:
	@command -v systemd-analyze >/dev/null || $(MAKE) deps
	@out=$$(systemd-analyze verify --man=no --recursive-errors=no $(UNITS) 2>&1 | grep -v 'Command /usr/bin/seedwatch is not executable'); \
	if [ -n "$$out" ]; then echo "$$out"; echo "check-units: systemd-analyze verify printed the above"; exit 1; fi
	@set -o pipefail; systemd-analyze security --offline=true --threshold=$(SECURITY_THRESHOLD) --no-pager packaging/systemd/seedwatch.service | tail -1

## End-to-end test of the .deb in a booted Debian 12 container (root; rootfs cached in /var/tmp).
e2e:
	packaging/test/e2e.sh

# ---------------------------------------------------------------------------------------------------------------
## Daemon benchmarks (figures and commands in docs/BENCHMARKS.md). Release build; temporary folders only.
## `make bench`: issue 23's table in one run (every figure, the peers and the I/O floor; ~40 min at load 25);
## BENCH_ARGS=--quick for a smoke run (~3 min). Without ../shared it says SKIP and measures nothing.
.PHONY: bench bench-scaling peers-venv bench-throughput bench-latency bench-idle bench-memory bench-startup bench-processors bench-stages bench-rss bench-cpu bench-poll
BENCH_ARGS ?= --runs 3
BBC_ARTICLES := $(SHARED)/eval/summ/bbc_news_summary.jsonl

bench:
	@if [ ! -f $(BBC_ARTICLES) ]; then echo "SKIP: $(BBC_ARTICLES) not found: make bench needs ../shared"; exit 0; fi; \
	$(MAKE) --no-print-directory release peers-venv && SHARED=$(SHARED) python3 Benchmarks/daemon/table.py $(BENCH_ARGS)

## The Python peers (sumy TextRank + a CRF tagger) in a venv made here, from PyPI; NLTK data from ../shared.
PEERS_VENV := .venv-peers
peers-venv: deps
	@[ -x $(PEERS_VENV)/bin/python ] || python3 -m venv $(PEERS_VENV)
	@$(PEERS_VENV)/bin/python -c 'import sumy, nltk, pycrfsuite' 2>/dev/null || $(PEERS_VENV)/bin/pip install -q sumy nltk python-crfsuite

## Per-document cost against document size (1 KB to 1 MB) and against what the state already knows (after 2,225 and
## after 50,000 recombined articles), tmpfs (~20 min).
bench-scaling:
	@if [ ! -f $(BBC_ARTICLES) ]; then echo "SKIP: $(BBC_ARTICLES) not found: make bench-scaling needs ../shared"; exit 0; fi; \
	$(MAKE) --no-print-directory release && SHARED=$(SHARED) python3 Benchmarks/daemon/scaling.py $(SCALING_ARGS)

bench-throughput: release
	python3 Benchmarks/daemon/throughput.py --runs 3 --peer-runs 1

bench-latency: release
	python3 Benchmarks/daemon/latency.py --runs 3 --rate 50 --seconds 60

bench-idle: release
	python3 Benchmarks/daemon/idle.py --runs 3 --seconds 60

## CPU per idle poll (ingest.mode poll) of an unchanged folder of 100,000 processed files (tmpfs).
bench-poll: release
	python3 Benchmarks/daemon/poll_idle.py --files 100000 --seconds 30 --runs 3

## Peak RSS in a 100,000-file burst, then time to READY=1 with those 100,000 processed files (one script, tmpfs).
bench-memory: release
	python3 Benchmarks/daemon/burst_startup.py --files 100000 --restarts 3

bench-startup: bench-memory

bench-processors: release
	python3 Benchmarks/daemon/processors.py --passes 3

## Service time without queueing, stage by stage (10 files/s), on tmpfs and on the disk.
bench-stages: release
	python3 Benchmarks/daemon/stages.py --rate 10 --files 150 --shm
	python3 Benchmarks/daemon/stages.py --rate 10 --files 150

## What the resident memory is made of after the 2,225 BBC articles (anonymous vs library pages, largest mappings).
bench-rss: release
	python3 Benchmarks/daemon/memory.py --runs 2

## The daemon's CPU per document, the 2,225 BBC articles at once on tmpfs (no disk noise).
bench-cpu: release
	python3 Benchmarks/daemon/cpu.py --runs 3

# ------------------------------------------------------------------------------------------------------------
# Reliability suite (issue 7, docs/RELIABILITY.md). Drivers in Benchmarks/torture (Python 3 stdlib, run as root:
# tmpfs mounts, device nodes), fuzz targets in Benchmarks/Fuzz (only built with SEEDWATCH_FUZZ=1).
.PHONY: torture torture-cluster bench-cluster torture-short torture-crash torture-dispose torture-burst torture-diskfull torture-hostile fuzz fuzz-smoke sanitize
TORTURE := python3 Benchmarks/torture/torture.py
SEED ?=
SEEDARG := $(if $(SEED),--seed $(SEED),)

torture-crash: release
	$(TORTURE) crash --files 2000 --kills 200 --all-processors $(SEEDARG)

## Paused (SIGSTOP): the kernel queue overflows, the overflow is logged, a rescan finds every file.
## Running: the daemon keeps up (an overflow is allowed, not required). Both: each file processed exactly once.
torture-burst: release
	$(TORTURE) burst --files 100000 --tmpfs --pause
	$(TORTURE) burst --files 100000 --tmpfs
	$(TORTURE) burst --files 1000 --tmpfs --max-pending 10

torture-diskfull: release
	$(TORTURE) diskfull --target outbox
	$(TORTURE) diskfull --target state

torture-hostile: release
	$(TORTURE) hostile

## kill -9 with ingest.after move and delete: every input in done/ (or deleted) with one result, or
## quarantined beside its record; nothing processed twice, nothing lost.
DISPOSE := python3 Benchmarks/torture/dispose.py
torture-dispose: release
	$(DISPOSE) --after move --files 2000 --kills 200 --writer-seconds 60 $(SEEDARG)
	$(DISPOSE) --after delete --files 2000 --kills 200 --writer-seconds 60 $(SEEDARG)

## Everything, long form (~30-40 min on 2 cores).
torture: torture-crash torture-dispose torture-hostile torture-diskfull torture-burst

## Three daemons on one PostgreSQL (debug build, with seedwatch-cluster): 1,000 documents, 20 kill -9, one SIGSTOP.
torture-cluster: deps
	$(SWIFT) build --product seedwatch && $(SWIFT) build --product seedwatch-cluster
	SEEDWATCH_BIN=.build/debug/seedwatch python3 Benchmarks/torture/cluster.py $(SEEDARG)

## The database's cost per document in a cluster (statements, transactions, WAL bytes; docs/CLUSTER.md).
bench-cluster: cluster
	python3 Benchmarks/cluster/cost.py --files 500 --nodes 1

## CI form: a few minutes.
torture-short: release
	$(TORTURE) crash --files 300 --kills 40 --writer-seconds 15 $(SEEDARG)
	$(DISPOSE) --after move --files 400 --kills 40 --writer-seconds 12 $(SEEDARG)
	$(DISPOSE) --after delete --files 400 --kills 40 --writer-seconds 12 $(SEEDARG)
	$(TORTURE) burst --files 20000 --tmpfs --pause
	$(TORTURE) burst --files 1000 --tmpfs --max-pending 10
	$(TORTURE) hostile
	$(TORTURE) diskfull --target outbox
	$(TORTURE) diskfull --target state

## libFuzzer targets: 1,000,000 executions each (FUZZ_RUNS=…; FUZZ_SECONDS=… bounds each target's time too,
## 0 = no bound; FUZZ_TIMEOUT=… seconds per input, 10 by default); fuzz-smoke: 15 s each, 135 s in all.
FUZZ_RUNS ?= 1000000
FUZZ_SECONDS ?= 0
fuzz:
	Benchmarks/torture/fuzz.sh -runs $(FUZZ_RUNS) $(FUZZ_SECONDS)

fuzz-smoke:
	Benchmarks/torture/fuzz.sh 15

## ThreadSanitizer, then AddressSanitizer, over the whole suite; the daemons the tests start are
## built the same way, and their reports (not only the test process's) land in one folder.
## Waits are scaled by 10 (instrumented builds are slower); fails on a failed test or any report.
SANITIZER_REPORTS := $(CURDIR)/.build/sanitizer-reports
SANITIZED_TESTS = SEEDWATCH_TEST_TIME_SCALE=10 SEEDWATCH_TEST_SANITIZER=$(1) timeout --kill-after=30 2700 \
	  .build/$(1)/debug/seedwatchPackageTests.xctest --testing-library swift-testing > .build/$(1)-tests.log 2>&1; \
	  status=$$?; tail -n 3 .build/$(1)-tests.log; \
	  if [ -n "$$(ls -A $(SANITIZER_REPORTS))" ]; then echo "sanitizer reports:"; ls $(SANITIZER_REPORTS); exit 1; fi; \
	  exit $$status
sanitize: deps journald
	rm -rf $(SANITIZER_REPORTS) && mkdir -p $(SANITIZER_REPORTS)
	$(SWIFT) build --build-tests --scratch-path .build/tsan -Xswiftc -sanitize=thread
	TSAN_OPTIONS=log_path=$(SANITIZER_REPORTS)/tsan $(call SANITIZED_TESTS,tsan)
	$(SWIFT) build --build-tests --scratch-path .build/asan -Xswiftc -sanitize=address
	ASAN_OPTIONS=detect_leaks=0:log_path=$(SANITIZER_REPORTS)/asan $(call SANITIZED_TESTS,asan)