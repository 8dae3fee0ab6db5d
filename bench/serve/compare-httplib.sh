#!/usr/bin/env bash
# ADR 0007's measurement: how long a quick request waits while N clients
# hold idle connections open (connected, nothing sent: slow-loris or idle
# keep-alive), for `constable serve` and for cpp-httplib's HTTPS server with
# its defaults. Needs libcpp-httplib-dev (not a build dependency of constable).
#
#   bash bench/serve/compare-httplib.sh [CONSTABLE] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
constable=$(realpath "${1:-$root/build/release/src/constable}")
idle=${2:-64}
work=$(mktemp -d)
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null
  [ -n "${PROBE_PID:-}" ] && kill "$PROBE_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
. "$root/scripts/lib/serve.sh"
serve_certs "$work"
g++ -std=c++17 -O2 "$root/bench/serve/httplib_probe.cpp" -o "$work/httplib_probe" \
  $(pkg-config --cflags --libs cpp-httplib) -lssl -lcrypto -pthread

# measure PORT: N idle connections held open, then 5 timed GET /healthz.
measure() {
  python3 - "$1" "$idle" "$work/ca.crt" <<'PY'
import socket, ssl, sys, time
port, idle, ca = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(idle)]
time.sleep(0.5)
context = ssl.create_default_context(cafile=ca)
times = []
for _ in range(5):
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := tls.recv(4096):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
    times.append((time.monotonic() - start) * 1000)
print(f"{idle} idle connections: GET /healthz took " + ", ".join(f"{t:.1f}" for t in times) + " ms")
for s in held:
    s.close()
PY
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/httplib_probe" "$work/tls.crt" "$work/tls.key" "$port" &
PROBE_PID=$!
sleep 0.5
echo -n "cpp-httplib 0.11.4:   "
measure "$port"
kill "$PROBE_PID"; PROBE_PID=""

serve_start "$constable" "$work" --constitution "$root/examples/k8s-platform/CONSTITUTION.md" --rate-limit 0
echo -n "constable serve:      "
measure "$SERVE_PORT"
