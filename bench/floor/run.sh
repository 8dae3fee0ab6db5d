#!/usr/bin/env bash
# constable against the floor: for each repository, the wall time of
# `constable check` (reference constitution, JSON report) next to ripgrep
# reading the same tree, measured in the same run, best of ROUNDS each, warm
# page cache. Prints one Markdown row per repository: files, MB, constable
# wall, rg wall, ratio, constable's peak RSS, and CPU seconds (user+sys) to
# show whether both cores were busy.
#
#   make floor-bench REPOS="/src/helm-charts /src/bitnami-charts"
#   ROUNDS=5 bash bench/floor/run.sh CONSTABLE CONSTITUTION REPO...
#   bash bench/floor/run.sh CONSTABLE CONSTITUTION REPO... [-- extra check options]
#
# The repositories are not part of the project: fetch them (docs/benchmarks.md
# names the ones measured) and pass their paths.
set -euo pipefail
constable=$(realpath "$1"); constitution=$(realpath "$2"); shift 2
repos=(); extra=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
  repos+=("$1"); shift
done
rounds=${ROUNDS:-3}
command -v rg >/dev/null || { echo "floor-bench: rg is missing (Debian package ripgrep)"; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# Best wall time (s, to the millisecond), with that run's peak RSS (KB) and
# CPU (s, user+sys), of `rounds` runs.
best_of() {
  local best="" rss="" cpu=""
  for _ in $(seq "$rounds"); do
    local start=$EPOCHREALTIME
    local status=0
    /usr/bin/time -f "%M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || status=$?
    # 1 is a normal outcome of both (violations found, nothing matched).
    if [ "$status" -gt 1 ]; then
      echo "floor-bench: $1 exited with $status:" >&2; cat "$work/stderr" >&2; return 1
    fi
    local wall
    wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
    # The last line: GNU time first writes "Command exited with non-zero status".
    read -r kb user sys < <(tail -n 1 "$work/time")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a<b)}'; then
      best=$wall; rss=$kb; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
    fi
  done
  echo "$best $rss $cpu"
}

echo "| repository | files / MB | constable wall | rg wall | ratio | constable peak RSS | constable CPU |"
echo "|---|---|---|---|---|---|---|"
for repo in "${repos[@]}"; do
  files=$(find "$repo" -type f | wc -l)
  mb=$(du -sm "$repo" | cut -f1)
  # Warm the page cache for both.
  rg --no-ignore --hidden -c 'constable-floor-bench-never-matches' "$repo" >/dev/null 2>&1 || true
  constable_best=$(best_of "$constable" check "$repo" --constitution "$constitution" --format json \
                    -o "$work/report.json" "${extra[@]}")
  rg_best=$(best_of rg --no-ignore --hidden -c 'constable-floor-bench-never-matches' "$repo")
  read -r c_wall c_rss c_cpu <<< "$constable_best"
  read -r r_wall _ _ <<< "$rg_best"
  ratio=$(awk -v a="$c_wall" -v b="$r_wall" 'BEGIN{ if (b > 0) printf "%.1f×", a/b; else print "-" }')
  echo "| $(basename "$repo") | $files / $mb | ${c_wall} s | ${r_wall} s | $ratio | $((c_rss / 1024)) MB | ${c_cpu} s |"
done
