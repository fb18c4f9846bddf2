#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (Benchmarks/Fuzz) with ASan.
#   Benchmarks/torture/fuzz.sh SECONDS_PER_TARGET [TARGET...]
# Corpus per target in .build/fuzz-corpus/<target> (kept between runs); crashes land in .build/fuzz-crashes/.
# Replay a crash: .build/fuzz/release/<Target> .build/fuzz-crashes/<Target>/crash-…
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzTextDecoding FuzzExtractors FuzzBoilerplate FuzzSentences FuzzInotifyEvents FuzzConfigLoader FuzzControlRequests)
status=0
for t in "${targets[@]}"; do
  SEEDWATCH_FUZZ=1 swift build --scratch-path .build/fuzz -c release -Xswiftc -sanitize=fuzzer,address --product "$t" >/dev/null
done
for t in "${targets[@]}"; do
  corpus=.build/fuzz-corpus/$t; crashes=.build/fuzz-crashes/$t
  mkdir -p "$corpus" "$crashes"
  # seed the corpus with the sample documents once
  [ -n "$(ls -A "$corpus")" ] || cp seeds/* "$corpus"/ 2>/dev/null || true
  log=.build/fuzz-crashes/$t.log
  if timeout $((seconds + 60)) .build/fuzz/release/"$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    echo "$t: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions in ${seconds}s, no crash"
  else
    status=1
    echo "$t: FAILED — see $log and $crashes"; grep -E 'ERROR|invariant|Test unit written' "$log" | head -5
  fi
done
exit $status
