#!/usr/bin/env bash
# The admission webhook under a fixed load, over TLS on loopback: h2load
# (HTTP/1.1, keep-alive) sends a realistic Deployment review at RATE
# requests/s for SECONDS, and the script prints the latency percentiles from
# h2load's per-request log, the achieved rate and the server's peak RSS.
#
#   make serve-bench                       # 1,000 requests/s for 30 s
#   bash bench/serve/run.sh [CONSTABLE] [RATE] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
constable=$(realpath "${1:-$root/build/release/src/constable}")
rate=${2:-1000}
seconds=${3:-30}
clients=4  # h2load's --rps is per client
work=$(mktemp -d)
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
command -v h2load >/dev/null || { echo "serve-bench: h2load is missing (Debian package nghttp2-client)"; exit 2; }

. "$root/scripts/lib/serve.sh"
serve_certs "$work"
# A hardened Deployment created in a production namespace: every check runs
# and none fires, the common case for a compliant cluster.
python3 "$root/tests/serve/reviews/generate.py" 200 > "$work/reviews.jsonl"
python3 - "$work/reviews.jsonl" > "$work/review.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    case = json.loads(line)
    request = case["review"]["request"]
    if case["expect"] == "allowed" and request["operation"] == "CREATE" and request["kind"]["kind"] == "Deployment":
        print(json.dumps(case["review"]))
        break
else:
    sys.exit("serve-bench: the generated reviews hold no hardened Deployment")
PY
serve_start "$constable" "$work" --constitution "$root/examples/k8s-platform/CONSTITUTION.md" --rate-limit 0

requests=$((rate * seconds))
h2load --h1 -c "$clients" -t 1 --rps $((rate / clients)) -n "$requests" -d "$work/review.json" \
  -H 'content-type: application/json' --log-file "$work/requests.log" \
  "https://127.0.0.1:$SERVE_PORT/validate" > "$work/h2load.txt"
grep -E "^finished in|requests:|status codes:" "$work/h2load.txt"
python3 - "$work/requests.log" "$seconds" <<'PY'
import sys
durations, ok = [], 0
for line in open(sys.argv[1]):
    start, status, elapsed = line.split()[:3]
    durations.append(int(elapsed))
    ok += status == "200"
durations.sort()
def percentile(p):
    return durations[min(len(durations) - 1, int(p / 100 * len(durations)))] / 1000
print(f"requests {len(durations)}, 200 OK {ok}")
print(f"latency ms: p50 {percentile(50):.3f}  p90 {percentile(90):.3f}  p99 {percentile(99):.3f}  "
      f"max {durations[-1] / 1000:.3f}")
PY
echo "server peak RSS: $(grep VmHWM /proc/$SERVE_PID/status | awk '{print $2 / 1024 " MB"}')"
