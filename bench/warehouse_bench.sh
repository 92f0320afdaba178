#!/usr/bin/env bash
# Warehouse build times (`dataprocessor --pipeline`) on generated data, against a database you
# give it (a throwaway one: the script loads files into it and rebuilds its warehouse):
#   1. generates ~1.6M rows: 1M user_traffic, 100k marketing_daily, the 10 traffic sources,
#      200k habit records, 50k title rows, a support desk of 20k cases (~117k log lines,
#      51k analyst rows, 75k products);
#   2. loads them with `dataprocessor --ingest`, then times `--pipeline --full` (RUNS times);
#   3. loads a further 10% (other seeds), times the incremental `--pipeline` that takes it up,
#      then times incremental runs with nothing new (RUNS times);
#   4. prints every run's wall time and the per-step durations of the last run of each kind.
# The incremental run with new data can only be timed once per loaded batch: with RUNS > 1 it
# is repeated on further 10% batches (seeds 3, 4, ...).
#
#   bench/warehouse_bench.sh --binary build/dataprocessor --db "host=/tmp/sock port=5432 ..."
set -euo pipefail

BINARY=""
DB=""
RUNS=3
WORKDIR=""
SQL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/sql"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) BINARY=$(realpath "$2"); shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$BINARY" && -n "$DB" ]] || { echo "needs --binary PATH and --db CONNINFO" >&2; exit 2; }
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/dp_warehouse_bench.XXXXXX)}
mkdir -p "$WORKDIR"/{imports,exports,logs}

dp() {
  "$BINARY" "$@" --set "db_string=$DB" --set "sql_dir=$SQL_DIR" \
    --set "imports_dir=$WORKDIR/imports" --set "exports_dir=$WORKDIR/exports" \
    --set "logs_dir=$WORKDIR/logs"
}

# generate DIR SEED SCALE_DIVISOR: the data set (divisor 1) or a tenth of it (divisor 10).
generate() {
  local dir=$1 seed=$2 div=$3
  mkdir -p "$dir"
  dp --generate user_traffic --rows $((1000000 / div)) --out "$dir" --seed "$seed" >/dev/null
  dp --generate marketing_daily --rows $((100000 / div)) --out "$dir" --seed "$seed" >/dev/null
  dp --generate habit_records --rows $((200000 / div)) --out "$dir" --seed "$seed" >/dev/null
  dp --generate title_data --rows $((50000 / div)) --out "$dir" --seed "$seed" >/dev/null
  if [[ $div == 1 ]]; then
    dp --generate traffic_sources --rows 10 --out "$dir" --seed "$seed" >/dev/null
    dp --generate support_desk --rows 20000 --out "$dir" --seed "$seed" >/dev/null
  else
    # more cases and their logs for the same desk (the analysts stay those of the first load)
    dp --generate support_desk --rows $((20000 / div)) --out "$dir/desk" --seed "$seed" >/dev/null
    mv "$dir"/desk/cases_*.csv "$dir"/desk/logs_*.csv "$dir"/
    rm -rf "$dir/desk"
  fi
}

rows_in() { cat "$@" | wc -l; }

load() { # load DIR
  local start end
  start=$(date +%s.%N)
  dp --ingest "$1"/*.csv >"$WORKDIR/ingest.log" 2>&1 || { tail "$WORKDIR/ingest.log"; exit 1; }
  end=$(date +%s.%N)
  printf 'loaded %s (%s lines) in %.1f s\n' "$1" "$(rows_in "$1"/*.csv)" "$(echo "$end - $start" | bc)"
}

time_run() { # time_run LABEL ARGS...: prints the wall time of one --pipeline run
  local label=$1 start end
  shift
  start=$(date +%s.%N)
  dp --pipeline "$@" >"$WORKDIR/run.log" 2>&1 || { cat "$WORKDIR/run.log"; exit 1; }
  end=$(date +%s.%N)
  printf '%s %.2f\n' "$label" "$(echo "$end - $start" | bc)" | tee -a "$WORKDIR/times.txt"
  head -n 1 "$WORKDIR/run.log"
}

steps_of_last_run() {
  psql -X -q "$DB" -c "SELECT step, duration_ms, rows_affected FROM datawarehouse.etl_run_steps
     WHERE batch_id = (SELECT max(batch_id) FROM datawarehouse.etl_runs)
     ORDER BY duration_ms DESC"
}

echo "uptime at start: $(uptime)"
generate "$WORKDIR/data" 1 1
load "$WORKDIR/data"
for ((i = 1; i <= RUNS; i++)); do time_run full "--full"; done
steps_of_last_run
for ((i = 1; i <= RUNS; i++)); do
  generate "$WORKDIR/more$i" $((i + 1)) 10
  load "$WORKDIR/more$i"
  time_run incremental_10pct
done
steps_of_last_run
for ((i = 1; i <= RUNS; i++)); do time_run incremental_nothing_new; done
steps_of_last_run
echo "uptime at end: $(uptime)"
