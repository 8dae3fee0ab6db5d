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
# `constable health`, the image's HEALTHCHECK: unverified on loopback,
# verified with --ca, failing when verification fails or nothing answers.
"$constable" health --url "https://127.0.0.1:$port/readyz"
"$constable" health --url "https://localhost:$port/readyz" --ca "$work/ca.crt"
if "$constable" health --url "https://localhost:$port/readyz" --ca "$root/tests/serve/reviews/generate.py" 2>/dev/null; then
  echo "serve-e2e: health trusted a server its CA bundle does not hold" >&2
  exit 1
fi
kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=""
if "$constable" health --url "https://127.0.0.1:$port/readyz" --timeout-ms 500 2>/dev/null; then
  echo "serve-e2e: health passed with no server" >&2
  exit 1
fi

# Namespace labels from a Kubernetes API (a fake one, over TLS with a bearer
# token): a namespace with a neutral name labelled environment=production.
printf 'e2e-token\n' > "$work/token"
python3 - "$work" > "$work/kube-api.log" 2>&1 <<'PY' &
import http.server, json, ssl, sys
work = sys.argv[1]
class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer e2e-token":
            self.send_response(401); self.end_headers(); return
        if self.path != "/api/v1/namespaces/shop":
            self.send_response(404); self.end_headers(); return
        body = json.dumps({"apiVersion": "v1", "kind": "Namespace",
                           "metadata": {"name": "shop", "labels": {"environment": "production"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = http.server.HTTPServer(("127.0.0.1", 0), Api)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(f"{work}/tls.crt", f"{work}/tls.key")
server.socket = context.wrap_socket(server.socket, server_side=True)
open(f"{work}/kube-api.port", "w").write(str(server.server_address[1]))
server.serve_forever()
PY
KUBE_PID=$!
trap 'kill $KUBE_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 100); do [ -s "$work/kube-api.port" ] && break; sleep 0.1; done
serve_start "$constable" "$work" --constitution "$root/examples/k8s-platform/CONSTITUTION.md" \
  --kube-api "https://127.0.0.1:$(cat "$work/kube-api.port")" --kube-ca "$work/ca.crt" --kube-token "$work/token"
python3 - "$SERVE_PORT" "$work/ca.crt" <<'PY'
import http.client, json, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
    "uid": "e2e-namespace-labels", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
    "namespace": "shop", "name": "web", "operation": "CREATE", "userInfo": {"username": "e2e"},
    "object": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
                   "metadata": {"labels": {"app": "web"}},
                   "spec": {"containers": [{"name": "web", "image": "nginx:latest"}]}}}}}}
connection = http.client.HTTPSConnection("127.0.0.1", port, context=ssl.create_default_context(cafile=ca), timeout=10)
connection.request("POST", "/validate", json.dumps(review), {"Content-Type": "application/json"})
response = json.loads(connection.getresponse().read())["response"]
message = response.get("status", {}).get("message", "")
assert not response["allowed"] and "namespace 'shop' is labelled environment=production" in message, response
print("serve-e2e: namespace labels read from the Kubernetes API")
PY
echo "serve-e2e: passed"
