#!/usr/bin/env bash
# A fuzzing campaign measured in CPU time, not wall time (docs/reliability.md).
#
#   fuzz/campaign.sh [--cpu-seconds N] [--jobs J] [--dir DIR] [HARNESS...]
#
# Copies the harnesses built by the `sanitize` preset into DIR/bin (so a
# rebuild of build/sanitize cannot change a running campaign), then runs J
# harnesses at a time at the lowest priority and stops each with SIGINT once
# its process has used N CPU-seconds (user + system, /proc/PID/stat), so a
# machine busy with builds does not shorten the campaign. Never SIGSTOP a
# fuzzer: libFuzzer counts a stopped unit's wall time and reports a timeout.
# A harness stopped early (Ctrl-C of this script) resumes from DIR/corpus on
# the next run with its CPU time so far in DIR/<harness>.cpu. Each finished
# harness appends one Markdown table row to DIR/results.md; its exit code is
# libFuzzer's: 72 when stopped at its budget, anything else a finding.
set -uo pipefail

cd "$(dirname "$0")/.."
cpu_seconds=1800
jobs=$(nproc)
dir=build/campaign
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu-seconds) cpu_seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "campaign: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
. fuzz/lib.sh
mapfile -t harnesses < <(harnesses_or_all "$@")

mkdir -p "$dir/bin" "$dir/corpus" "$dir/logs" "$dir/artifacts"
for harness in "${harnesses[@]}"; do
  binary=build/sanitize/fuzz/${harness}_fuzzer
  if [ ! -x "$binary" ]; then
    echo "campaign: $binary is missing (make fuzz-build)" >&2
    exit 2
  fi
  # A copy under a new name, then a rename: never overwrite a running binary.
  if [ ! -e "$dir/${harness}.cpu" ]; then
    cp "$binary" "$dir/bin/.${harness}_fuzzer.new" && mv "$dir/bin/.${harness}_fuzzer.new" "$dir/bin/${harness}_fuzzer"
  fi
done
git rev-parse --short HEAD >"$dir/bin/COMMIT" 2>/dev/null || true
python3 fuzz/seeds.py "$dir/seeds" "${harnesses[@]}" >/dev/null || exit 2

# Lowest priority for the whole session: with autogroup scheduling, a
# process's own nice value only counts against its session's other
# processes, so the session's autogroup is lowered too (when the kernel has it).
[ -w /proc/self/autogroup ] && echo 19 >/proc/self/autogroup 2>/dev/null

# CPU seconds (user + system) a process has used; fields 14 and 15 of
# /proc/PID/stat, counted after the parenthesised command name.
cpu_of() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  read -r -a fields <<<"$stat"
  echo $(((fields[11] + fields[12]) / $(getconf CLK_TCK)))
}

# Runs one harness until it has used its CPU budget, across resumptions.
run_harness() {
  local harness=$1
  local log=$dir/logs/$harness.log
  local spent=0
  [ -e "$dir/$harness.cpu" ] && spent=$(cat "$dir/$harness.cpu")
  local left=$((cpu_seconds - spent))
  [ $left -le 0 ] && return 0
  local dictionary
  dictionary=$(dictionary_of "$harness")
  mkdir -p "$dir/corpus/$harness" "$dir/artifacts/$harness"
  # -timeout is wall time: generous, since the campaign yields to everything else.
  nice -n 19 "$dir/bin/${harness}_fuzzer" -timeout=60 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$harness/" ${dictionary:+-dict=$dictionary} \
    "$dir/corpus/$harness" "$dir/seeds/$harness" >>"$log" 2>&1 &
  local pid=$!
  local used=0
  while kill -0 "$pid" 2>/dev/null; do
    used=$(cpu_of "$pid")
    echo $((spent + used)) >"$dir/$harness.cpu"
    if [ "$used" -ge "$left" ]; then kill -INT "$pid"; break; fi
    sleep 5
  done
  wait "$pid"
  local status=$?
  echo $((spent + used)) >"$dir/$harness.cpu"
  local executions cov ft units peak crashes
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  peak=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | awk '{if ($2 > m) m = $2} END {print m + 0}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  units=$(find "$dir/corpus/$harness" -type f | wc -l)
  crashes=$(find "$dir/artifacts/$harness" -type f | wc -l)
  printf '| %s | %.1f | %s | %s | %s | %s | %s MB | %s (exit %s) |\n' "$harness" \
    "$(awk -v s=$((spent + used)) 'BEGIN {print s / 60}')" "$executions" "${cov:-?}" "${ft:-?}" "$units" "$peak" \
    "$crashes" "$status" >>"$dir/results.md"
}

trap 'kill -INT $(jobs -p) 2>/dev/null; wait; exit 130' INT TERM
[ -e "$dir/results.md" ] ||
  echo '| harness | CPU min | executions | cov | ft | corpus units | peak RSS | artifacts (exit) |' >"$dir/results.md"
running=0
for harness in "${harnesses[@]}"; do
  run_harness "$harness" &
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
cat "$dir/results.md"
