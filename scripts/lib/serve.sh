# Sourced by scripts/serve-e2e.sh and bench/serve/run.sh: a throwaway TLS
# setup and a `constable serve` on a free loopback port.

# serve_certs DIR: DIR/ca.crt, DIR/tls.crt and DIR/tls.key, a CA and a
# serving certificate it signs for 127.0.0.1, localhost and
# constable.constable.svc (subjectAltNames, which `constable serve` requires).
serve_certs() {
  local dir=$1
  local curve=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${curve[@]}" -days 1 -subj "/CN=constable test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req "${curve[@]}" -subj "/CN=constable.constable.svc" -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:constable.constable.svc\n' > "$dir/san.ext"
  openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 1 \
    -extfile "$dir/san.ext" -out "$dir/tls.crt" 2>/dev/null
}

# serve_start CONSTABLE DIR [SERVE-ARGS...]: starts `constable serve` over
# TLS with DIR's certificate on a free port, waits until /readyz answers,
# and sets SERVE_PID and SERVE_PORT (its log is DIR/serve.log). Returns 1
# when it exits or is not ready within 30 s.
serve_start() {
  local constable=$1 dir=$2
  shift 2
  "$constable" serve --listen 127.0.0.1:0 --tls-cert "$dir/tls.crt" --tls-key "$dir/tls.key" "$@" \
    2> "$dir/serve.log" &
  SERVE_PID=$!
  SERVE_PORT=""
  local _
  for _ in $(seq 1 300); do
    SERVE_PORT=$(grep -o '"port":[0-9]*' "$dir/serve.log" 2>/dev/null | head -1 | cut -d: -f2 || true)
    if [ -n "$SERVE_PORT" ] && curl -sf --cacert "$dir/ca.crt" "https://127.0.0.1:$SERVE_PORT/readyz" >/dev/null; then
      return 0
    fi
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
      echo "constable serve exited:" >&2
      cat "$dir/serve.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "constable serve did not become ready:" >&2
  cat "$dir/serve.log" >&2
  return 1
}
