#!/usr/bin/env bash
# Takeover after a lost node (issue 15): no process dies and no TCP close reaches the server.
# Everything runs in a network namespace of its own (unshare --net; the machine's network and
# firewall are not touched): a throwaway cluster on 127.0.0.1, replica A connected through
# 127.0.0.2, replica B through 127.0.0.1. A claims a large file; then A is frozen (SIGSTOP) and
# every packet between it and the server is dropped (iptables, inside the namespace), as when a
# node loses power or its network. The server must notice the silent peer by itself (the session
# keepalives of replica_timeout_s), end A's session and so its claim; B then takes the file at
# its next scan. Prints the time from the cut to B's claim and to the file loaded, per run.
# Needs root (unshare, iptables). It builds nothing: pass the built binary. See bench/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BINARY=""
SQL_DIR="$SCRIPT_DIR/../sql"
BIG_ROWS=1000000
RUNS=1
TIMEOUT_S=30
PORT=55436
INNER=0

usage() {
  cat <<EOF
Usage: bench/replica_lost_node_bench.sh --binary PATH [options]
  --binary PATH        the built dataprocessor (required)
  --runs N             measurements (default $RUNS)
  --big-rows N         rows of the file replica A holds (default $BIG_ROWS)
  --replica-timeout S  replica_timeout_s of both replicas (default $TIMEOUT_S)
  --sql-dir DIR        migrations (default: the repository's sql/)
EOF
}

args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) BINARY=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --big-rows) BIG_ROWS=$2; shift 2 ;;
    --replica-timeout) TIMEOUT_S=$2; shift 2 ;;
    --sql-dir) SQL_DIR=$2; shift 2 ;;
    --inner) INNER=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ -n "$BINARY" && -x "$BINARY" ]] || { echo "--binary must name the built dataprocessor" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "needs root (unshare --net, iptables)" >&2; exit 2; }
command -v iptables >/dev/null || { echo "iptables is missing" >&2; exit 2; }
if [[ $INNER -eq 0 ]]; then
  exec unshare --net "$0" "${args[@]}" --inner
fi
BINARY=$(realpath "$BINARY")
SQL_DIR=$(realpath "$SQL_DIR")
ip link set lo up
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

WORK=$(mktemp -d /tmp/dp-lost-node-bench.XXXXXX)
chmod 755 "$WORK"
LOG="$WORK/bench.log"
say() { printf '%s\n' "$*" >&2; }
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

PG_USER_SYS=dp_bench
id "$PG_USER_SYS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_SYS"
PGROOT="$WORK/pg"
mkdir -p "$PGROOT/sock"
chown -R "$PG_USER_SYS" "$PGROOT"
runuser -u "$PG_USER_SYS" -- "$PG_BIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 \
  --locale=C.UTF-8 >>"$LOG" 2>&1
# The server's own settings stay at their defaults (tcp_keepalives_idle 0 = the kernel's 2 h):
# whatever bounds the takeover comes with the replicas' sessions.
runuser -u "$PG_USER_SYS" -- "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -l "$PGROOT/postgres.log" \
  -o "-p $PORT -k $PGROOT/sock -c listen_addresses=127.0.0.1,127.0.0.2" start >>"$LOG" 2>&1

declare -A PIDS=()
cleanup() {
  local id
  for id in "${!PIDS[@]}"; do kill -KILL "${PIDS[$id]}" 2>/dev/null || true; done
  iptables -F INPUT 2>/dev/null || true
  runuser -u "$PG_USER_SYS" -- "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -m immediate stop >>"$LOG" 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export PGOPTIONS="-c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "host=127.0.0.1 port=$PORT user=postgres dbname=bench" -c "$1"; }
psql -X -q "host=127.0.0.1 port=$PORT user=postgres dbname=postgres" -c "CREATE DATABASE bench" >>"$LOG"
IMPORTS="$WORK/imports"
mkdir -p "$IMPORTS" "$WORK/exports" "$WORK/logs" "$WORK/big"
common=(--set "imports_dir=$IMPORTS" --set "exports_dir=$WORK/exports" --set "logs_dir=$WORK/logs"
        --set "sql_dir=$SQL_DIR" --set "http_port=0" --set "watch_mode=poll"
        --set "poll_interval_ms=200" --set "settle_ms=100" --set "replica_timeout_s=$TIMEOUT_S")
(cd "$WORK" && DB_STRING="host=127.0.0.1 port=$PORT user=postgres dbname=bench" "$BINARY" --init-db \
  "${common[@]}") >>"$LOG" 2>&1

start_replica() { # id address
  local out="$WORK/$1.log"
  : >"$out"
  (cd "$WORK" && DB_STRING="host=$2 port=$PORT user=postgres dbname=bench" exec "$BINARY" --watch \
    "${common[@]}" --set "replica_id=$1") >>"$out" 2>&1 &
  PIDS[$1]=$!
  for _ in $(seq 600); do grep -q ' workers' "$out" && return 0; sleep 0.05; done
  say "replica $1 did not start; see $out"
  exit 1
}
wait_log() { # file needle timeout_s
  local deadline=$(($(date +%s) + $3))
  until grep -q "$2" "$1"; do (($(date +%s) < deadline)) || return 1; sleep 0.05; done
}
awk -v n="$BIG_ROWS" 'BEGIN { print "user_id,source_id,referred_at,campaign_code"
  for (i = 1; i <= n; i++) printf "%d,%d,2024-01-01T00:00:00Z,c%d\n", i, i % 10 + 1, i % 7 }' \
  >"$WORK/big/user_traffic_big.csv"

say "lost node: replica_timeout_s=$TIMEOUT_S, poll_interval_ms=200, settle_ms=100, a $BIG_ROWS-row file"
for run in $(seq 1 "$RUNS"); do
  sql "TRUNCATE staging.user_traffic; TRUNCATE ingest.files CASCADE" >/dev/null
  start_replica a 127.0.0.2
  cp "$WORK/big/user_traffic_big.csv" "$WORK/big/staged.csv"
  mv "$WORK/big/staged.csv" "$IMPORTS/user_traffic_big.csv"
  wait_log "$WORK/a.log" "user_traffic_big.csv: claimed by replica a; reading it" 60 ||
    { say "replica a never claimed the file"; exit 1; }
  start_replica b 127.0.0.1
  # The node goes away: its process stops, its packets are lost in both directions.
  kill -STOP "${PIDS[a]}"
  iptables -A INPUT -p tcp -d 127.0.0.2 --dport "$PORT" -j DROP
  iptables -A INPUT -p tcp -s 127.0.0.2 --sport "$PORT" -j DROP
  t0=$(now)
  wait_log "$WORK/b.log" "user_traffic_big.csv: claimed by replica b; reading it" $((TIMEOUT_S * 4)) ||
    { say "replica b never took the file over"; exit 1; }
  t1=$(now)
  until [[ $(sql "SELECT count(*) FROM ingest.files WHERE status = 'loaded' AND replica_id = 'b'") -ge 1 ]]; do
    sleep 0.1
  done
  t2=$(now)
  echo "run $run: the file claimed by b $(elapsed "$t0" "$t1") s after the cut, loaded $(elapsed "$t0" "$t2") s after it"
  kill -KILL "${PIDS[a]}" 2>/dev/null || true
  kill -CONT "${PIDS[a]}" 2>/dev/null || true
  wait "${PIDS[a]}" 2>/dev/null || true
  unset "PIDS[a]"
  kill -TERM "${PIDS[b]}"
  wait "${PIDS[b]}" 2>/dev/null || true
  unset "PIDS[b]"
  iptables -F INPUT
  find "$IMPORTS/.processed" -type f -delete
done
