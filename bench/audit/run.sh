#!/usr/bin/env bash
# A fleet audit (issue 14): N generated repositories (deterministic: the same
# N gives the same fleet), audited three times into one SQLite store with
# changes between the runs (a tenth of the repositories fix their Dockerfile,
# a tenth break a manifest), then reported. Prints one Markdown row per run:
# wall time, time per repository, what the run opened, fixed and kept, the
# store's size; then the report's time. Fails when a run's counts are not
# the ones the changes imply.
#
#   make audit-bench                       # 200 and 2,000 repositories
#   bash bench/audit/run.sh CONSTABLE CONSTITUTION N
set -euo pipefail
constable=$(realpath "$1"); constitution=$(realpath "$2"); count=${3:-200}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
store="$work/audit.db"

root_image='FROM alpine:3.19 AS build
RUN true
FROM alpine:3.19
COPY --from=build /x /x
'
user_image="${root_image}USER 10001
"
# A Deployment of service $1 with image tag $2.
deployment() {
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n  namespace: shop-production\nspec:\n' "$1"
  printf '  replicas: 3\n  selector:\n    matchLabels: {app: %s}\n  template:\n    metadata:\n      labels: {app: %s}\n' "$1" "$1"
  printf '    spec:\n      containers:\n        - name: %s\n          image: registry.example.com/%s:%s\n' "$1" "$1" "$2"
}

# Repository i: every other one runs as root; each has two services.
for ((i = 0; i < count; i++)); do
  repo=$(printf '%s/fleet/repo-%05d' "$work" "$i")
  mkdir -p "$repo/deploy"
  if ((i % 2 == 0)); then printf '%s' "$root_image" >"$repo/Dockerfile"; else printf '%s' "$user_image" >"$repo/Dockerfile"; fi
  deployment "api-$i" v1.0.0 >"$repo/deploy/api.yaml"
  deployment "web-$i" v1.0.0 >"$repo/deploy/web.yaml"
  printf '# repo-%05d\n\nService %d of the fleet.\n' "$i" "$i" >"$repo/README.md"
done
{
  echo "repositories:"
  for ((i = 0; i < count; i++)); do
    printf '  - path: fleet/repo-%05d\n    team: team-%d\n' "$i" $((i % 10))
  done
} >"$work/fleet.yaml"

# One audit; "opened fixed still_open seconds".
audit() {
  local start=$EPOCHREALTIME out status=0
  out=$(CONSTABLE_TODAY=$1 "$constable" audit "$work/fleet.yaml" --constitution "$constitution" --store "$store" 2>"$work/stderr") ||
    status=$?
  if [ "$status" -ne 0 ]; then echo "audit-bench: constable audit exited with $status: $out" >&2; cat "$work/stderr" >&2; exit 1; fi
  local seconds
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
  sed -E 's/.*; ([0-9]+) opened, ([0-9]+) reopened, ([0-9]+) fixed, ([0-9]+) still open.*/\1 \3 \4/' <<<"$out" | tr -d '\n'
  echo " $seconds"
}

row() {  # run, opened, fixed, still open, seconds
  local size
  size=$(du -k "$store" | cut -f1)
  awk -v run="$1" -v n="$count" -v o="$2" -v f="$3" -v k="$4" -v s="$5" -v kb="$size" \
    'BEGIN{printf "| %d | %d | %.3f s | %.1f ms | %d | %d | %d | %.1f MB |\n", run, n, s, 1000*s/n, o, f, k, kb/1024}'
}

expect() {  # what, got, wanted
  if [ "$2" != "$3" ]; then echo "audit-bench: $1: got $2, expected $3" >&2; exit 1; fi
}

echo "| run | repositories | wall | per repository | opened | fixed | still open | store |"
echo "|---|---|---|---|---|---|---|---|"
read -r opened fixed kept seconds < <(audit 2026-11-01)
row 1 "$opened" "$fixed" "$kept" "$seconds"
first_opened=$opened

# A tenth of the root images get a USER; a tenth of the repositories deploy :latest.
changed_fix=0 changed_break=0
for ((i = 0; i < count; i += 10)); do
  printf '%s' "$user_image" >"$(printf '%s/fleet/repo-%05d/Dockerfile' "$work" "$i")"
  changed_fix=$((changed_fix + 1))
done
for ((i = 5; i < count; i += 10)); do
  deployment "web-$i" latest >"$(printf '%s/fleet/repo-%05d/deploy/web.yaml' "$work" "$i")"
  changed_break=$((changed_break + 1))
done
read -r opened fixed kept seconds < <(audit 2026-11-08)
row 2 "$opened" "$fixed" "$kept" "$seconds"
expect "run 2 fixed" "$fixed" "$changed_fix"
expect "run 2 still open" "$kept" $((first_opened - changed_fix))

read -r opened fixed kept seconds < <(audit 2026-11-15)
row 3 "$opened" "$fixed" "$kept" "$seconds"
expect "run 3 opened" "$opened" 0
expect "run 3 fixed" "$fixed" 0

start=$EPOCHREALTIME
CONSTABLE_TODAY=2026-11-20 "$constable" audit report --store "$store" --format json >"$work/report.json"
report_seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
repositories=$(grep -c '"last_run"' "$work/report.json")
expect "repositories reported" "$repositories" "$count"
echo
echo "audit report --format json: $report_seconds s for $count repositories ($changed_break broke a manifest in run 2)"
