#!/usr/bin/env bash
# Warehouse build times (`dataprocessor --pipeline`) on generated data, against a database you
# give it (--db: a throwaway one, the script loads files into it and rebuilds its warehouse) or
# on a throwaway cluster it starts itself (no --db; default durability settings):
#   1. generates ~1.6M rows: 1M user_traffic, 100k marketing_daily, the 10 traffic sources,
#      200k habit records, 50k title rows, a support desk of 20k cases (~117k log lines,
#      51k analyst rows, 75k products);
#   2. loads them with `dataprocessor --ingest`, then times `--pipeline --full` (RUNS times);
#   3. RUNS times: loads a further 10 % (other seeds) and times the incremental `--pipeline`
#      that takes it up; then the same with a further 1 %;
#   4. times incremental runs with nothing new (RUNS times), then full rebuilds of the data as
#      it is now (full_at_end, RUNS times), the same data the +1 % runs read;
#   5. prints every run's wall time with the load average beside it, and the per-step durations
#      of the last run of each kind side by side.
# A run with new data can only be timed once per loaded batch, so each repetition loads a new
# batch (seeds 2, 3, ...).
#
#   bench/warehouse_bench.sh --binary build/dataprocessor [--db CONNINFO] [--runs N]
#                            [--sql-dir DIR] [--workdir DIR] [--parts-above BYTES]
#   --parts-above BYTES loads every file of at least BYTES in parts (parallel_copy_min_bytes),
#   so that the runs read staging rows from part tables (docs/architecture.md, "Part tables").
set -euo pipefail

BINARY=""
DB=""
RUNS=3
WORKDIR=""
SQL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/sql"
PORT=55478
PARTS_ABOVE=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) BINARY=$(realpath "$2"); shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --sql-dir) SQL_DIR=$(realpath "$2"); shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --parts-above) PARTS_ABOVE=$2; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$BINARY" ]] || { echo "needs --binary PATH" >&2; exit 2; }
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/dp_warehouse_bench.XXXXXX)}
mkdir -p "$WORKDIR"/{imports,exports,logs}
chmod 755 "$WORKDIR"

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGROOT=""
cleanup() {
  if [[ -n "$PGROOT" ]]; then
    runuser -u dp_bench -- "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGROOT"
  fi
}
trap cleanup EXIT
if [[ -z "$DB" ]]; then
  # As bench/ingest_bench.sh: initdb refuses root, so the cluster runs as a system user.
  id dp_bench >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin dp_bench
  PGROOT="$WORKDIR/pg"
  mkdir -p "$PGROOT/sock"
  chown -R dp_bench "$PGROOT"
  runuser -u dp_bench -- "$PG_BIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 >"$WORKDIR/initdb.log" 2>&1
  runuser -u dp_bench -- "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -l "$PGROOT/postgres.log" \
    -o "-p $PORT -k $PGROOT/sock -c listen_addresses='' -c max_prepared_transactions=16" start \
    >>"$WORKDIR/initdb.log" 2>&1
  psql -X -q "host=$PGROOT/sock port=$PORT user=postgres dbname=postgres" -c "CREATE DATABASE whbench"
  DB="host=$PGROOT/sock port=$PORT user=postgres dbname=whbench"
fi

EXTRA=()
[[ -n $PARTS_ABOVE ]] && EXTRA=(--set "parallel_copy_min_bytes=$PARTS_ABOVE")
dp() {
  "$BINARY" "$@" --set "db_string=$DB" --set "sql_dir=$SQL_DIR" \
    --set "imports_dir=$WORKDIR/imports" --set "exports_dir=$WORKDIR/exports" \
    --set "logs_dir=$WORKDIR/logs" "${EXTRA[@]}"
}

# generate DIR SEED SCALE_DIVISOR: the data set (divisor 1), a tenth (10) or a hundredth (100).
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
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

load() { # load DIR
  local start end
  start=$(date +%s.%N)
  dp --ingest "$1"/*.csv >"$WORKDIR/ingest.log" 2>&1 || { tail "$WORKDIR/ingest.log"; exit 1; }
  end=$(date +%s.%N)
  printf 'loaded %s (%s lines) in %.1f s; part tables now: %s\n' "$1" "$(rows_in "$1"/*.csv)" \
    "$(echo "$end - $start" | bc)" "$(psql -X -At "$DB" -c "SELECT count(*) FROM pg_inherits")"
}

time_run() { # time_run LABEL ARGS...: prints the wall time of one --pipeline run
  local label=$1 start end
  shift
  start=$(date +%s.%N)
  dp --pipeline "$@" >"$WORKDIR/run.log" 2>&1 || { cat "$WORKDIR/run.log"; exit 1; }
  end=$(date +%s.%N)
  printf '%s %.2f (load average %s)\n' "$label" "$(echo "$end - $start" | bc)" "$(loadavg)" |
    tee -a "$WORKDIR/times.txt"
  head -n 1 "$WORKDIR/run.log"
}

save_steps_of_last_run() { # save_steps_of_last_run LABEL
  psql -X -q -At -F' ' "$DB" -c "SELECT step, duration_ms FROM datawarehouse.etl_run_steps
     WHERE batch_id = (SELECT max(batch_id) FROM datawarehouse.etl_runs)" >"$WORKDIR/steps_$1.txt"
}

median_of() { # median_of LABEL: median wall time of the runs with that label
  awk -v l="$1" '$1 == l { print $2 }' "$WORKDIR/times.txt" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "uptime at start: $(uptime)"
generate "$WORKDIR/data" 1 1
load "$WORKDIR/data"
for ((i = 1; i <= RUNS; i++)); do time_run full "--full"; done
save_steps_of_last_run full
seed=2
for ((i = 1; i <= RUNS; i++)); do
  generate "$WORKDIR/more10_$i" $((seed++)) 10
  load "$WORKDIR/more10_$i"
  time_run incremental_10pct
done
save_steps_of_last_run incremental_10pct
for ((i = 1; i <= RUNS; i++)); do
  generate "$WORKDIR/more1_$i" $((seed++)) 100
  load "$WORKDIR/more1_$i"
  time_run incremental_1pct
done
save_steps_of_last_run incremental_1pct
for ((i = 1; i <= RUNS; i++)); do time_run incremental_nothing_new; done
save_steps_of_last_run incremental_nothing_new
# The +1 % runs ran on the base data plus every batch since (about 33 % more rows than the
# first full builds read): a full rebuild of that same data is the fair denominator for them.
for ((i = 1; i <= RUNS; i++)); do time_run full_at_end "--full"; done
echo "uptime at end: $(uptime)"

echo
echo "| run | median wall (s) | runs (s) | vs full (base data) | vs full_at_end (the same data as the +1 % and nothing-new runs) |"
echo "|---|---|---|---|---|"
FULL_MED=$(median_of full)
FULL_END_MED=$(median_of full_at_end)
for label in full incremental_10pct incremental_1pct incremental_nothing_new full_at_end; do
  med=$(median_of "$label")
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$med" \
    "$(awk -v l="$label" '$1 == l { printf "%s ", $2 }' "$WORKDIR/times.txt")" \
    "$(awk -v a="$med" -v b="$FULL_MED" 'BEGIN { printf "%.1f %%", 100 * a / b }')" \
    "$(awk -v a="$med" -v b="$FULL_END_MED" 'BEGIN { printf "%.1f %%", 100 * a / b }')"
done
echo
echo "Per-step durations (ms) of the last run of each kind:"
echo
echo "| step | full | +10 % | +1 % | nothing new |"
echo "|---|---|---|---|---|"
awk '{ print $1 }' "$WORKDIR/steps_full.txt" | while read -r step; do
  row="| $step"
  for label in full incremental_10pct incremental_1pct incremental_nothing_new; do
    row+=" | $(awk -v s="$step" '$1 == s { print $2 }' "$WORKDIR/steps_$label.txt")"
  done
  echo "$row |"
done | sort -t'|' -k3 -nr
