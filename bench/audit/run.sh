#!/usr/bin/env bash
# A fleet audit (issue 14): N generated repositories (deterministic: the same
# N gives the same fleet), audited three times into one SQLite store with
# changes between the runs (a tenth of the repositories fix their Dockerfile,
# a tenth break a manifest), then reported. Prints one Markdown row per run:
# wall time, time per repository, what the run opened, fixed and kept, the
# store's size; then the report's time. Fails when a run's counts are not
# the ones the changes imply.
#
# STORE: the SQLite file by default; `postgresql` starts a PostgreSQL server
# of its own (initdb into the work directory, loopback, default durability
# settings; as root, run as the postgres user) and audits into it; a
# postgresql:// URL uses that (empty) database. SHARDS=N runs each audit as
# N processes at once (`--shard I/N`), as N pods of an Indexed Job would.
#
#   make audit-bench                       # 200 and 2,000 repositories
#   bash bench/audit/run.sh CONSTABLE CONSTITUTION N [STORE]
#   SHARDS=4 bash bench/audit/run.sh CONSTABLE CONSTITUTION 2000 postgresql
set -euo pipefail
constable=$(realpath "$1"); constitution=$(realpath "$2"); count=${3:-200}; store_kind=${4:-sqlite}
shards=${SHARDS:-1}
work=$(mktemp -d)
pg_data= pg_bin=
cleanup() {
  if [ -n "$pg_data" ]; then as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
store="$work/audit.db"
case "$store_kind" in
  sqlite) ;;
  postgresql)
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    # ctest skips the smoke test on this message.
    [ -x "$pg_bin/initdb" ] || { echo "audit-bench: no initdb under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 2; }
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    mkdir "$work/pg" && printf '%s\n' "$password" >"$work/pg/pwfile"
    [ "$(id -u)" -ne 0 ] || chown -R postgres: "$work/pg"
    chmod 755 "$work"
    as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U constable --pwfile="$work/pg/pwfile" --auth=scram-sha-256 \
      -E UTF8 --locale=C >"$work/pg/initdb.log" 2>&1 || { cat "$work/pg/initdb.log" >&2; exit 2; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_data="$work/pg/data"
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $work/pg" start >/dev/null || { cat "$work/pg/server.log" >&2; exit 2; }
    PGPASSWORD=$password psql -q "postgresql://constable@127.0.0.1:$port/postgres" -c 'CREATE DATABASE audit'
    # The password as the Kubernetes manifests give it: in the environment, not the URL.
    export PGPASSWORD=$password
    store="postgresql://constable@127.0.0.1:$port/audit"
    ;;
  postgresql://* | postgres://*) store=$store_kind ;;
  *) echo "audit-bench: STORE is sqlite, postgresql or a postgresql:// URL, not $store_kind" >&2; exit 2 ;;
esac

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

# One audit (SHARDS processes at once); "opened fixed still_open seconds".
audit() {
  local start=$EPOCHREALTIME shard pids=() status
  for ((shard = 0; shard < shards; shard++)); do
    local sharding=()
    [ "$shards" -eq 1 ] || sharding=(--shard "$shard/$shards")
    CONSTABLE_TODAY=$1 "$constable" audit "$work/fleet.yaml" --constitution "$constitution" --store "$store" \
      "${sharding[@]}" >"$work/out.$shard" 2>"$work/stderr.$shard" &
    pids+=($!)
  done
  for ((shard = 0; shard < shards; shard++)); do
    status=0
    wait "${pids[$shard]}" || status=$?
    if [ "$status" -ne 0 ]; then
      echo "audit-bench: constable audit exited with $status: $(cat "$work/out.$shard")" >&2
      cat "$work/stderr.$shard" >&2
      exit 1
    fi
  done
  local seconds
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
  cat "$work"/out.* | sed -nE 's/.*; ([0-9]+) opened, ([0-9]+) reopened, ([0-9]+) fixed, ([0-9]+) still open.*/\1 \3 \4/p' |
    awk '{o += $1; f += $2; k += $3} END {printf "%d %d %d", o, f, k}'
  echo " $seconds"
}

row() {  # run, opened, fixed, still open, seconds
  local size
  if [[ $store == postgres* ]]; then
    size=$(psql -tA "$store" -c 'SELECT pg_database_size(current_database()) / 1024')
  else
    size=$(du -k "$store" | cut -f1)
  fi
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
