#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (Benchmarks/Fuzz) with ASan.
#   Benchmarks/torture/fuzz.sh [-runs N] SECONDS_PER_TARGET [TARGET...]
# Each target runs until N executions (-runs, libFuzzer's option) or SECONDS (0: no time bound),
# whichever comes first; without -runs, for SECONDS. `make fuzz`: 1,000,000 executions each;
# `make fuzz-smoke`: 15 s each.
# FUZZ_TIMEOUT=S: seconds one input may take before it counts as a hang (default 10); raise it on a machine so
# loaded that a fuzzer at low priority gets a few percent of a core, where normal inputs pass 10 s.
# Corpus per target in .build/fuzz-corpus/<target> (kept between runs); crashes land in .build/fuzz-crashes/.
# Replay a crash: .build/fuzz/release/<Target> .build/fuzz-crashes/<Target>/crash-…
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=
if [ "${1:-}" = -runs ]; then runs=$2; shift 2; fi
seconds=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzTextDecoding FuzzExtractors FuzzBoilerplate FuzzSentences FuzzInotifyEvents
                                     FuzzConfigLoader FuzzControlRequests FuzzPluginProtocol FuzzStateDecoders)
status=0
# -enable-testing: some targets reach internal decoders through `@testable import`.
for t in "${targets[@]}"; do
  SEEDWATCH_FUZZ=1 swift build --scratch-path .build/fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
    --product "$t" >/dev/null
done
for t in "${targets[@]}"; do
  corpus=.build/fuzz-corpus/$t; crashes=.build/fuzz-crashes/$t
  mkdir -p "$corpus" "$crashes"
  # Seed the corpus once: with valid inputs from the target itself where it writes them, else the sample documents.
  if [ -z "$(ls -A "$corpus")" ]; then
    case $t in
      FuzzStateDecoders) SEEDWATCH_FUZZ_SEEDS=$corpus .build/fuzz/release/"$t" ;;
      *) cp seeds/* "$corpus"/ 2>/dev/null || true ;;
    esac
  fi
  # LineReader's thread frees its buffer just after it hands over the end, which may be after the
  # input returned: libFuzzer's per-input leak check would report that buffer.
  extra=(); [ "$t" = FuzzPluginProtocol ] && extra=(-detect_leaks=0)
  log=.build/fuzz-crashes/$t.log
  bound=(-max_total_time="$seconds"); limit=$((seconds + 60))
  if [ -n "$runs" ]; then
    bound=(-runs="$runs"); [ "$seconds" = 0 ] && limit=0 || bound+=(-max_total_time="$seconds")
  fi
  if timeout "$limit" .build/fuzz/release/"$t" "${bound[@]}" "${extra[@]}" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    executions=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    time=$(grep -E '^Done [0-9]+ runs in' "$log" | awk '{print $5}')
    echo "$t: $executions executions in ${time:-$seconds}s, no crash"
  else
    status=1
    echo "$t: FAILED — see $log and $crashes"; grep -E 'ERROR|invariant|Test unit written' "$log" | head -5
  fi
done
exit $status
