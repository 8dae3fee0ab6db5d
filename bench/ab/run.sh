#!/usr/bin/env bash
# Two or more constable binaries on one repository, alternating run by run
# so that the machine's slower and quicker spells fall on each alike: the
# median wall and CPU time (user+sys) of each. With --phases, the medians of
# each phase `--stats` reports instead (milliseconds).
#
#   bash bench/ab/run.sh [--phases] N REPO CONSTITUTION BIN...
#
# docs/benchmarks.md records what it measured. The repositories are not part
# of the project: fetch them and pass their paths.
set -euo pipefail
phases=false
if [ "${1:-}" = "--phases" ]; then phases=true; shift; fi
if [ $# -lt 4 ]; then echo "usage: run.sh [--phases] N REPO CONSTITUTION BIN..." >&2; exit 2; fi
rounds=$1; repo=$2; constitution=$3; shift 3
binaries=("$@")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }

for _ in $(seq "$rounds"); do
  for i in "${!binaries[@]}"; do
    start=$EPOCHREALTIME
    status=0
    /usr/bin/time -f "%U %S" -o "$work/time" "${binaries[$i]}" check "$repo" --constitution "$constitution" \
      --format json -o "$work/report.json" --stats >/dev/null 2>"$work/stderr" || status=$?
    if [ "$status" -gt 1 ]; then echo "run.sh: ${binaries[$i]} exited with $status:" >&2; cat "$work/stderr" >&2; exit 1; fi
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f\n", b-a}' >> "$work/wall.$i"
    tail -n 1 "$work/time" | awk '{printf "%.2f\n", $1+$2}' >> "$work/cpu.$i"
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["stats"]["times_us"]
print(" ".join(str(t.get(k, 0)) for k in ["discover","check_repository","check_files","check_charts","check_manifests","report","check"]))' \
      "$work/report.json" >> "$work/phases.$i"
  done
done

if $phases; then echo "binary | discover | repository | files | charts | manifests | report | all checks (ms)"; fi
for i in "${!binaries[@]}"; do
  if $phases; then
    line="${binaries[$i]}"
    for column in 1 2 3 4 5 6 7; do
      line="$line | $(cut -d' ' -f"$column" "$work/phases.$i" | median | awk '{printf "%.0f", $1/1000}')"
    done
    echo "$line"
  else
    echo "${binaries[$i]}: wall $(median < "$work/wall.$i") s, cpu $(median < "$work/cpu.$i") s (medians of $rounds)"
  fi
done
