# seedwatch — common tasks. `make run` and `make test` are the two set-up commands in the README.
SHELL := /bin/bash
SWIFT ?= swift
SHARED ?= ../shared
APT_PACKAGES := libsystemd-dev libsqlite3-dev systemd
BIN_RELEASE := .build/release/seedwatch

.PHONY: deps journald build release run test test-fast eval-summary bench-summary ner-train bench-ner bench-ner-process bench-ner-linear test-entities clean

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

release: deps
	$(SWIFT) build -c release -Xswiftc -warnings-as-errors

## Run the daemon on the default configuration: watch seeds/, write outbox/, state in state/.
run: release
	$(BIN_RELEASE) run

## The test suite (unit, integration and end-to-end against real inotify, journald and sockets).
test: deps journald
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	$(SWIFT) test --skip-build

## Summary evaluation against the peers on the BBC test split (ROUGE, rouge-score with stemming).
eval-summary:
	Benchmarks/summary/eval.sh

bench-summary:
	$(SWIFT) build -c release --product seedwatch && taskset -c 0 $(BIN_RELEASE) eval summary --split all --passes 5

## Retrain the shipped entity model (reproducible; see docs/ENTITIES.md).
ner-train:
	$(SWIFT) build -c release --product seedwatch && $(BIN_RELEASE) train-ner --train $(SHARED)/eval/ner/conll2003/train.conll --dev $(SHARED)/eval/ner/conll2003/dev.conll --unlabeled $(SHARED)/eval/summ/bbc_news_summary.jsonl --out Sources/SeedwatchProcessors/Resources/ner-conll2003.swner

bench-ner:
	Benchmarks/ner/run.sh

bench-ner-process:
	Benchmarks/ner/process_speed.sh

bench-ner-linear:
	Benchmarks/ner/linear_cost.sh

clean:
	rm -rf .build outbox state quarantine

# ------------------------------------------------------------------------------------------------------------
# Reliability suite (issue 7, docs/RELIABILITY.md). Drivers in Benchmarks/torture (Python 3 stdlib, run as root:
# tmpfs mounts, device nodes), fuzz targets in Benchmarks/Fuzz (only built with SEEDWATCH_FUZZ=1).
.PHONY: torture torture-short torture-crash torture-burst torture-diskfull torture-hostile fuzz fuzz-smoke sanitize
TORTURE := python3 Benchmarks/torture/torture.py
SEED ?=
SEEDARG := $(if $(SEED),--seed $(SEED),)

torture-crash: release
	$(TORTURE) crash --files 2000 --kills 200 --all-processors $(SEEDARG)

torture-burst: release
	$(TORTURE) burst --files 100000 --tmpfs
	$(TORTURE) burst --files 100000 --tmpfs --pause

torture-diskfull: release
	$(TORTURE) diskfull --target outbox
	$(TORTURE) diskfull --target state

torture-hostile: release
	$(TORTURE) hostile

## Everything, long form (~30-40 min on 2 cores).
torture: torture-crash torture-hostile torture-diskfull torture-burst

## CI form: a few minutes.
torture-short: release
	$(TORTURE) crash --files 300 --kills 40 --writer-seconds 15 $(SEEDARG)
	$(TORTURE) burst --files 20000 --tmpfs --pause
	$(TORTURE) hostile
	$(TORTURE) diskfull --target outbox
	$(TORTURE) diskfull --target state

## libFuzzer targets, 10 minutes each (FUZZ_SECONDS=…); fuzz-smoke: 15 s each, 75 s in all.
FUZZ_SECONDS ?= 600
fuzz:
	Benchmarks/torture/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke:
	Benchmarks/torture/fuzz.sh 15

## The test suite under ThreadSanitizer, then AddressSanitizer (separate scratch paths, slow).
sanitize: deps journald
	$(SWIFT) build --build-tests --scratch-path .build/tsan -Xswiftc -sanitize=thread
	$(SWIFT) test --skip-build --scratch-path .build/tsan
	$(SWIFT) build --build-tests --scratch-path .build/asan -Xswiftc -sanitize=address
	$(SWIFT) test --skip-build --scratch-path .build/asan
