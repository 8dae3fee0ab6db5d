#!/usr/bin/env bash
# The content cache (`check --cache DIR`): for each repository, the wall time
# of a run with an empty cache, of a second run on the unchanged repository
# (best of ROUNDS), and of a run after one file changed (the first Markdown
# file, or the first values.yaml when there is a chart), next to a run without
# the cache. Every cached report is compared with the uncached one: a
# difference fails the benchmark. Prints one Markdown row per repository.
#
#   make cache-bench REPOS="/src/helm-charts /src/bitnami-charts"
#   ROUNDS=5 bash bench/cache/run.sh CONSTABLE CONSTITUTION REPO...
#
# The repository is changed in a copy under a temporary directory, never in place.
set -euo pipefail
constable=$(realpath "$1"); constitution=$(realpath "$2"); shift 2
rounds=${ROUNDS:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export CONSTABLE_TODAY=${CONSTABLE_TODAY:-2026-12-03}

# Wall time (s, to the millisecond) of one run; the report goes to $work/$1.json.
timed() {
  local report=$1; shift
  local start=$EPOCHREALTIME status=0
  "$constable" check "$@" --constitution "$constitution" --format json -o "$work/$report.json" >/dev/null 2>"$work/stderr" ||
    status=$?
  if [ "$status" -gt 1 ]; then echo "cache-bench: constable exited with $status:" >&2; cat "$work/stderr" >&2; exit 1; fi
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}'
}

same_report() {
  cmp -s "$work/$1.json" "$work/$2.json" || { echo "cache-bench: the cached report differs from the uncached one ($3)" >&2; exit 1; }
}

echo "| repository | files | no cache | first run, empty cache | second run, unchanged | ratio | one file changed |"
echo "|---|---|---|---|---|---|---|"
for repo in "$@"; do
  copy="$work/repo"; rm -rf "$copy" "$work/cache"; cp -a "$repo" "$copy"
  files=$(find "$copy" -type f -not -path '*/.git/*' | wc -l)
  uncached=$(timed plain "$copy")
  first=$(timed first "$copy" --cache "$work/cache")
  same_report plain first "first run"
  best=""
  for _ in $(seq "$rounds"); do
    t=$(timed second "$copy" --cache "$work/cache")
    same_report plain second "second run"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
  done
  changed=$(find "$copy" -name values.yaml -not -path '*/.git/*' | LC_ALL=C sort | sed -n 1p)
  [ -n "$changed" ] || changed=$(find "$copy" -name '*.md' -not -path '*/.git/*' | LC_ALL=C sort | sed -n 1p)
  printf '\n# changed by cache-bench\n' >> "$changed"
  after=$(timed changed "$copy" --cache "$work/cache")
  timed plain_changed "$copy" >/dev/null
  same_report plain_changed changed "after changing ${changed#"$copy"/}"
  ratio=$(awk -v a="$best" -v b="$first" 'BEGIN{ printf "%.1f%%", 100*a/b }')
  echo "| $(basename "$repo") | $files | ${uncached} s | ${first} s | ${best} s | $ratio | ${after} s (${changed#"$copy"/}) |"
done
