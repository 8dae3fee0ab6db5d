#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by the `sanitize` preset (build/sanitize).
#
#   fuzz/run.sh [--smoke] SECONDS [HARNESS...]
#
# Each harness first replays its committed regression inputs
# (fuzz/regressions/<harness>/*), then fuzzes for SECONDS from the seeds
# fuzz/seeds.py writes from the fixtures. Without --smoke the corpus grows in
# build/sanitize/corpus/<harness> across runs; with --smoke each run starts from
# the seeds alone. Any crash, leak, timeout (10 s per input) or RSS above
# 2 GB fails the run after every harness has had its turn; the reproducer is
# in build/sanitize/artifacts/<harness>/ and the log in build/sanitize/logs/.
set -uo pipefail

cd "$(dirname "$0")/.."
build=build/sanitize
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
seconds=${1:?usage: fuzz/run.sh [--smoke] SECONDS [HARNESS...]}
shift
. fuzz/lib.sh
mapfile -t harnesses < <(harnesses_or_all "$@")

common=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1)

mkdir -p "$build/logs"
python3 fuzz/seeds.py "$build/seeds" "${harnesses[@]}" >/dev/null || exit 2
for harness in "${harnesses[@]}"; do
  if [ ! -x "$build/fuzz/${harness}_fuzzer" ]; then
    echo "fuzz: $build/fuzz/${harness}_fuzzer is missing (make fuzz-build)" >&2
    exit 2
  fi
done

# Replays one harness's regressions, then fuzzes it; its report goes to
# logs/<harness>.summary and its verdict to logs/<harness>.failed (absent when it passed).
run_harness() {
  local harness=$1
  local binary=$build/fuzz/${harness}_fuzzer
  local log=$build/logs/$harness.log
  local summary=$build/logs/$harness.summary
  local artifacts=$build/artifacts/$harness/
  rm -f "$build/logs/$harness.failed"
  : >"$summary"
  mkdir -p "$artifacts"

  local regressions=(fuzz/regressions/"$harness"/*)
  if [ -e "${regressions[0]}" ]; then
    if ! "$binary" "${common[@]}" "${regressions[@]}" >"$log.regressions" 2>&1; then
      echo "fuzz: $harness: a committed regression input fails again (see $log.regressions)" >>"$summary"
      echo "$harness (regression)" >>"$build/logs/$harness.failed"
    fi
  fi

  local corpus=$build/corpus/$harness
  if [ $smoke -eq 1 ]; then corpus=$build/smoke-corpus/$harness; rm -rf "$corpus"; fi
  mkdir -p "$corpus"
  local dictionary
  dictionary=$(dictionary_of "$harness")
  "$binary" "${common[@]}" -max_total_time="$seconds" -artifact_prefix="$artifacts" \
    ${dictionary:+-dict=$dictionary} "$corpus" "$build/seeds/$harness" >"$log" 2>&1
  local status=$?
  local executions coverage
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*')
  echo "fuzz: $harness: exit $status, ${executions:-?} executions, ${coverage:-no coverage line} (log: $log)" >>"$summary"
  if [ $status -ne 0 ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" | head -5 >>"$summary"
    echo "$harness" >>"$build/logs/$harness.failed"
  fi
}

# FUZZ_JOBS harnesses at a time (default: one per core).
parallel=${FUZZ_JOBS:-$(nproc)}
for harness in "${harnesses[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n; done
  run_harness "$harness" &
done
wait

failed=()
for harness in "${harnesses[@]}"; do
  cat "$build/logs/$harness.summary"
  if [ -f "$build/logs/$harness.failed" ]; then
    mapfile -t -O "${#failed[@]}" failed <"$build/logs/$harness.failed"
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#harnesses[@]} harnesses, ${seconds}s each, no crash, leak or timeout"
