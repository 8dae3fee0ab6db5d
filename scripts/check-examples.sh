#!/usr/bin/env bash
# Runs CONSTABLE (default: the release build) over every bundled example in
# every output format. Exit codes 0 (clean) and 1 (violations) are expected;
# anything else (2, or a sanitizer abort) fails.
set -uo pipefail
cd "$(dirname "$0")/.."
constable=${1:-build/release/src/constable}
status=0
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
for example in examples/*/; do
  for format in text json sarif junit markdown github gitlab html; do
    "$constable" check "$example" --format "$format" >/dev/null 2>"$errors"
    code=$?
    if [ "$code" -gt 1 ]; then
      echo "check-examples: $example --format $format exited $code" >&2
      cat "$errors" >&2
      status=1
    fi
  done
  # Several reports in one run, each to its file, next to the terminal one.
  reports=$(mktemp -d)
  "$constable" check "$example" --output-format "sarif=$reports/out.sarif" --output-format "markdown=$reports/out.md" \
    >/dev/null 2>"$errors"
  code=$?
  if [ "$code" -gt 1 ] || [ ! -s "$reports/out.sarif" ] || [ ! -s "$reports/out.md" ]; then
    echo "check-examples: $example --output-format exited $code or wrote no report" >&2
    cat "$errors" >&2
    status=1
  fi
  rm -rf "$reports"
  for command in coverage checks config; do
    "$constable" "$command" "$example" >/dev/null 2>"$errors" || {
      echo "check-examples: constable $command $example failed" >&2; cat "$errors" >&2; status=1; }
  done
done
[ "$status" -eq 0 ] && echo "check-examples: every example passed through $constable"
exit "$status"
