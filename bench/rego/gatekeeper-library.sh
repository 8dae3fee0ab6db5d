#!/usr/bin/env bash
# Conformance of constable's Rego interpreter with OPA on the public
# Gatekeeper policy library: every suite.yaml (gator verify's format) of a
# checkout of open-policy-agent/gatekeeper-library, through
# `constable policy verify`. Nothing of the library is part of this project:
# give the path of a checkout.
#
#   bash bench/rego/gatekeeper-library.sh build/release/src/constable /path/to/gatekeeper-library
set -euo pipefail
constable=${1:?usage: $0 CONSTABLE GATEKEEPER_LIBRARY}
library=${2:?usage: $0 CONSTABLE GATEKEEPER_LIBRARY}
[ -d "$library/library" ] || { echo "no library/ under $library" >&2; exit 2; }
templates=$(find "$library/library" -name template.yaml | wc -l)
suites=$(find "$library/library" -name suite.yaml | wc -l)
echo "templates: $templates, suites: $suites"
report=$(mktemp)
trap 'rm -f "$report"' EXIT
start=$(date +%s.%N)
set +e
"$constable" policy verify "$library/library" > "$report"
status=$?
set -e
end=$(date +%s.%N)
grep '^FAIL' -A1 "$report" || true
tail -1 "$report"
echo "wall: $(echo "$end - $start" | bc) s"
exit $status
