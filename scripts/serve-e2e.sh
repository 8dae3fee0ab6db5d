#!/usr/bin/env bash
# End to end over real TLS on loopback: a generated CA and a SAN certificate,
# `constable serve` started on a free port, N recorded AdmissionReviews
# (tests/serve/reviews/generate.py) replayed with certificate verification,
# each answer checked (same uid, a valid AdmissionReview, the expected
# decision), then /metrics validated with promtool. Exit 1 on any failure.
#
#   bash scripts/serve-e2e.sh [CONSTABLE] [N]     (defaults: build/release/src/constable, 1000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
constable=$(realpath "${1:-$root/build/release/src/constable}")
count=${2:-1000}
work=$(mktemp -d)
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/scripts/lib/serve.sh"
serve_certs "$work"
python3 "$root/tests/serve/reviews/generate.py" "$count" > "$work/reviews.jsonl"
serve_start "$constable" "$work" --constitution "$root/examples/k8s-platform/CONSTITUTION.md" --rate-limit 0
port=$SERVE_PORT

python3 - "$port" "$work/ca.crt" "$work/reviews.jsonl" <<'PY'
import http.client, json, ssl, sys
port, ca, reviews = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=ca)
connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
failures = 0
decisions = {}
for number, line in enumerate(open(reviews), 1):
    case = json.loads(line)
    sent = case["review"]
    connection.request("POST", "/validate", json.dumps(sent), {"Content-Type": "application/json"})
    reply = connection.getresponse()
    body = reply.read()
    try:
        answer = json.loads(body)
        response = answer["response"]
        assert reply.status == 200, f"status {reply.status}"
        assert answer["apiVersion"] == "admission.k8s.io/v1" and answer["kind"] == "AdmissionReview", "not a review"
        assert response["uid"] == sent["request"]["uid"], "uid not echoed"
        got = "allowed" if response["allowed"] else "denied"
        assert got == case["expect"], f"expected {case['expect']}, got {got}"
        if not response["allowed"]:
            assert response["status"]["code"] == 403 and "due 20" in response["status"]["message"], "bad refusal"
        for warning in response.get("warnings", []):
            assert len(warning) < 120, f"warning too long: {warning}"
        decisions[got] = decisions.get(got, 0) + 1
    except (AssertionError, KeyError, ValueError) as error:
        failures += 1
        if failures <= 5:
            request = sent["request"]
            print(f"review {number} ({request['operation']} {request['kind']['kind']} in "
                  f"{request.get('namespace', '-')}): {error}: {body[:300]!r}")
print(f"serve-e2e: {sum(decisions.values())} reviews answered as expected {decisions}, {failures} failures")
sys.exit(1 if failures else 0)
PY

if command -v promtool >/dev/null; then
  curl -sf --cacert "$work/ca.crt" "https://127.0.0.1:$port/metrics" > "$work/metrics.txt"
  promtool check metrics < "$work/metrics.txt"
  grep -q 'constable_requests_total{operation="validate"' "$work/metrics.txt"
fi
echo "serve-e2e: passed"
