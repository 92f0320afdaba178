#!/usr/bin/env bash
# Benchmark of several replicas on one imports/ and one database (issue 15), on one throwaway
# cluster with default durability settings:
#   1. throughput of 1, 2 and 3 replicas (watch_mode=poll, workers=2 each) on the same workload:
#      --files files (default 300) of --rows rows each, renamed into imports/ at once; the wall
#      time runs from the first rename to the last ledger row 'loaded'. Runs alternate between
#      1, 2 and 3 replicas (--runs rounds), medians are reported with the load average; a fourth
#      configuration, one replica with as many workers as three replicas have (6), tells what
#      replicas add over workers;
#   2. takeover after kill -9: replica A claims a large file (--big-rows rows) and is killed
#      with SIGKILL while it reads it; the time until replica B logs that it claimed the file,
#      and until the file is loaded, medians of --runs.
# It builds nothing: pass the built binary. See bench/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BINARY=""
SQL_DIR="$SCRIPT_DIR/../sql"
FILES=300
ROWS=2000
BIG_ROWS=1000000
RUNS=3
PORT=55435
KEEP=0
POLL_MS=200
SETTLE_MS=100

usage() {
  cat <<EOF
Usage: bench/replicas_bench.sh --binary PATH [options]
  --binary PATH   the built dataprocessor (required)
  --files N       files of the throughput workload (default $FILES)
  --rows N        rows per file (default $ROWS)
  --big-rows N    rows of the file of the takeover measurement (default $BIG_ROWS)
  --runs N        rounds; each round runs 1, 2 and 3 replicas in a rotated order (default $RUNS)
  --sql-dir DIR   migrations (default: the repository's sql/)
  --port N        port number of the cluster's unix socket (default $PORT)
  --keep          keep the work folder
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) BINARY=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --big-rows) BIG_ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --sql-dir) SQL_DIR=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ -n "$BINARY" && -x "$BINARY" ]] || { echo "--binary must name the built dataprocessor" >&2; exit 2; }
BINARY=$(realpath "$BINARY")
SQL_DIR=$(realpath "$SQL_DIR")
command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 2; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PG_BIN/initdb" ]] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dp-replicas-bench.XXXXXX)
chmod 755 "$WORK"
LOG="$WORK/bench.log"
: >"$LOG"
say() { printf '%s\n' "$*" >&2; }
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# --- a throwaway cluster, default durability settings ----------------------------------------
PG_USER_SYS=dp_bench
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u "$PG_USER_SYS" -- "$@"; else "$@"; fi; }
if [[ $(id -u) -eq 0 ]] && ! id "$PG_USER_SYS" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_SYS"
fi
PGROOT="$WORK/pg"
mkdir -p "$PGROOT/sock"
[[ $(id -u) -eq 0 ]] && chown -R "$PG_USER_SYS" "$PGROOT"
as_pg "$PG_BIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >>"$LOG" 2>&1
as_pg "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -l "$PGROOT/postgres.log" \
  -o "-p $PORT -k $PGROOT/sock -c listen_addresses=''" start >>"$LOG" 2>&1

declare -A PIDS=()
stop_all() { # SIGTERM every replica still running and wait for it
  local id
  for id in "${!PIDS[@]}"; do
    kill -TERM "${PIDS[$id]}" 2>/dev/null || true
    wait "${PIDS[$id]}" 2>/dev/null || true
    unset "PIDS[$id]"
  done
}
cleanup() {
  stop_all
  as_pg "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -m fast stop >>"$LOG" 2>&1 || true
  if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK"; else say "work folder kept: $WORK"; fi
}
trap cleanup EXIT

BASE="host=$PGROOT/sock port=$PORT user=postgres"
export PGOPTIONS="-c client_min_messages=warning"
CONN="$BASE dbname=bench"
psql -X -q "$BASE dbname=postgres" -c "CREATE DATABASE bench" >>"$LOG"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$CONN" -c "$1"; }
IMPORTS="$WORK/imports"
mkdir -p "$IMPORTS" "$WORK/exports" "$WORK/logs" "$WORK/source" "$WORK/big"
common=(--set "imports_dir=$IMPORTS" --set "exports_dir=$WORK/exports" --set "logs_dir=$WORK/logs"
        --set "sql_dir=$SQL_DIR" --set "http_port=0" --set "watch_mode=poll"
        --set "poll_interval_ms=$POLL_MS" --set "settle_ms=$SETTLE_MS")
WORKERS=2
(cd "$WORK" && DB_STRING="$CONN" "$BINARY" --init-db "${common[@]}") >>"$LOG" 2>&1

start_replica() { # id -> starts it in the background and waits until it watches imports/
  local id=$1 out="$WORK/$1.log"
  : >"$out"
  (cd "$WORK" && DB_STRING="$CONN" exec "$BINARY" --watch "${common[@]}" --set "workers=$WORKERS" \
    --set "replica_id=$id") \
    >>"$out" 2>&1 &
  PIDS[$id]=$!
  for _ in $(seq 600); do grep -q ' workers' "$out" && return 0; sleep 0.05; done
  say "replica $id did not start; see $out"
  exit 1
}
wait_log() { # file needle timeout_s
  local deadline=$(($(date +%s) + $3))
  until grep -q "$2" "$1"; do (($(date +%s) < deadline)) || return 1; sleep 0.01; done
}
fresh_ledger() {
  sql "TRUNCATE staging.user_traffic; TRUNCATE ingest.files CASCADE; TRUNCATE ingest.replicas" >/dev/null
  sql "CHECKPOINT" >/dev/null
}
awk_user_traffic() { # rows first_id path
  awk -v n="$1" -v first="$2" 'BEGIN {
    print "user_id,source_id,referred_at,campaign_code"
    for (i = 0; i < n; i++) {
      id = first + i
      printf "%d,%d,2024-%02d-%02dT%02d:%02d:%02dZ,c%d\n", id, id % 10 + 1, id % 12 + 1,
        id % 28 + 1, id % 24, id % 60, int(id / 60) % 60, id % 7
    }
  }' >"$3"
}

for i in $(seq 1 "$FILES"); do
  awk_user_traffic "$ROWS" $((i * 1000000)) "$WORK/source/user_traffic_bench_$i.csv"
done
awk_user_traffic "$BIG_ROWS" 1 "$WORK/big/user_traffic_big.csv"
WORKLOAD_MB=$(du -sm "$WORK/source" | cut -f1)
say "workload: $FILES files of $ROWS rows ($WORKLOAD_MB MiB); takeover file: $BIG_ROWS rows"

# --- 1. throughput of 1, 2, 3 replicas -------------------------------------------------------
declare -A SECONDS_OF=() LOAD_OF=()
run_throughput() { # configuration: N replicas of 2 workers, or 1w6 (one replica, 6 workers)
  local config=$1 n=$1 id t0 t1 load
  WORKERS=2
  if [[ $config == 1w6 ]]; then n=1; WORKERS=6; fi
  fresh_ledger
  for id in $(seq 1 "$n"); do start_replica "t$id"; done
  t0=$(now)
  for f in "$WORK"/source/*.csv; do mv "$f" "$IMPORTS/"; done
  until [[ $(sql "SELECT count(*) FROM ingest.files WHERE status = 'loaded'") -ge $FILES ]]; do
    sleep 0.05
  done
  t1=$(now)
  load=$(loadavg)
  [[ $(sql "SELECT count(*) FROM ingest.files") -eq $FILES ]] || { say "ledger rows != $FILES"; exit 1; }
  stop_all
  find "$IMPORTS/.processed" -type f -name '*.csv' -exec mv -t "$WORK/source/" {} +
  WORKERS=2
  SECONDS_OF[$config]+="$(elapsed "$t0" "$t1") "
  LOAD_OF[$config]+="$load "
  say "  $config: $(elapsed "$t0" "$t1") s, load average $load"
}
say "throughput, $RUNS round(s):"
for round in $(seq 1 "$RUNS"); do
  case $((round % 4)) in
    1) order="1 2 3 1w6" ;;
    2) order="2 3 1w6 1" ;;
    3) order="3 1w6 1 2" ;;
    *) order="1w6 1 2 3" ;;
  esac
  for n in $order; do run_throughput "$n"; done
done

# --- 2. takeover after kill -9 ---------------------------------------------------------------
TAKEOVERS=""
FINISHES=""
say "takeover after kill -9, $RUNS run(s):"
for run in $(seq 1 "$RUNS"); do
  fresh_ledger
  start_replica a
  cp "$WORK/big/user_traffic_big.csv" "$WORK/big/staged.csv"
  mv "$WORK/big/staged.csv" "$IMPORTS/user_traffic_big.csv"
  wait_log "$WORK/a.log" "user_traffic_big.csv: claimed by replica a; reading it" 60 ||
    { say "replica a never claimed the file"; exit 1; }
  start_replica b
  sleep 0.5
  t0=$(now)
  kill -KILL "${PIDS[a]}"
  wait "${PIDS[a]}" 2>/dev/null || true
  unset "PIDS[a]"
  wait_log "$WORK/b.log" "user_traffic_big.csv: claimed by replica b; reading it" 60 ||
    { say "replica b never took the file over"; exit 1; }
  t1=$(now)
  until [[ $(sql "SELECT count(*) FROM ingest.files WHERE status = 'loaded' AND replica_id = 'b'") -ge 1 ]]; do
    sleep 0.05
  done
  t2=$(now)
  stop_all
  find "$IMPORTS/.processed" -type f -delete
  TAKEOVERS+="$(elapsed "$t0" "$t1")"$'\n'
  FINISHES+="$(elapsed "$t0" "$t2")"$'\n'
  say "  run $run: claimed by b $(elapsed "$t0" "$t1") s after the kill, loaded $(elapsed "$t0" "$t2") s after it"
done

# --- report ----------------------------------------------------------------------------------
echo
echo "Replicas on one imports/, $FILES files x $ROWS rows ($WORKLOAD_MB MiB), poll_interval_ms=$POLL_MS,"
echo "settle_ms=$SETTLE_MS, $(nproc) cores; medians of $RUNS alternating runs"
echo
echo "| replicas x workers | wall (median) | files/s | rows/s | runs (s) | load average after each run |"
echo "|---|---|---|---|---|---|"
for n in 1 2 3 1w6; do
  med=$(tr ' ' '\n' <<<"${SECONDS_OF[$n]}" | grep . | median)
  label="$n x 2"
  [[ $n == 1w6 ]] && label="1 x 6"
  printf '| %s | %.2f s | %.0f | %.0f | %s | %s |\n' "$label" "$med" \
    "$(awk -v f="$FILES" -v s="$med" 'BEGIN { print f / s }')" \
    "$(awk -v f="$FILES" -v r="$ROWS" -v s="$med" 'BEGIN { print f * r / s }')" \
    "${SECONDS_OF[$n]% }" "${LOAD_OF[$n]% }"
done
echo
echo "Takeover after kill -9 of the replica reading a $BIG_ROWS-row file (another replica running):"
echo "claimed by the other replica after $(grep . <<<"$TAKEOVERS" | median) s (median; runs: $(tr '\n' ' ' <<<"$TAKEOVERS")),"
echo "loaded $(grep . <<<"$FINISHES" | median) s after the kill (median; runs: $(tr '\n' ' ' <<<"$FINISHES"))."
