#!/usr/bin/env bash
# Benchmark of the ingest engine against psql \copy, in one run on one throwaway cluster:
#   1. throughput: a course-traffic file (1M rows, --rows N, --10m) loaded alternately by
#      psql \copy (FORMAT csv, HEADER) into a plain table with the file's columns and types
#      (the honest baseline), `dataprocessor --ingest`, `dataprocessor --check`, and psql \copy
#      into a keyed table (the earlier baseline, labelled); medians of --runs;
#   2. peak RSS of --ingest and --check (/usr/bin/time -v);
#   3. fixed cost per file: --ingest of a 1,000-row file against psql \copy of it;
#   4. watch-mode latency: files renamed into imports/ -> ledger row loaded, p50/p99;
#   5. rows/s per kind for every kind's generator output, vs psql \copy where comparable.
# It builds nothing: pass the built binary. See bench/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BINARY=""
SQL_DIR="$SCRIPT_DIR/../sql"
ROWS=1000000
RUNS=3
LATENCY_FILES=200
LATENCY_ROWS=100
LATENCY_GAP=0.05
KIND_ROWS=200000
KIND_RUNS=3
WORKDIR=""
KEEP=0
PORT=55433
DO_KINDS=1
DO_LATENCY=1
REPORT=""
KINDS=(user_traffic marketing_daily traffic_sources title_data habit_records analyst_snapshots
       cases case_logs products priority_sla calendar)

usage() {
  cat <<EOF
Usage: bench/ingest_bench.sh --binary PATH [options]
  --binary PATH        the built dataprocessor (required)
  --rows N             rows of the course-traffic file (default $ROWS)
  --10m                10,000,000 rows (the RSS target's file)
  --runs N             loads per loader, alternating; medians are reported (default $RUNS)
  --latency-files N    files for the watch-mode latency (default $LATENCY_FILES)
  --latency-rows N     rows per latency file (default $LATENCY_ROWS)
  --latency-gap S      seconds between two drops (default $LATENCY_GAP)
  --kind-rows N        rows per kind for the per-kind table (default $KIND_ROWS)
  --kind-runs N        loads per kind and loader (default $KIND_RUNS)
  --no-kinds           skip the per-kind table
  --no-latency         skip the latency measurement
  --sql-dir DIR        migrations (default: the repository's sql/)
  --workdir DIR        where the cluster and files go (default: a new folder under /tmp)
  --port N             port number of the cluster's unix socket (default $PORT)
  --keep               keep the work folder
  --report FILE        also write the result tables (markdown) to FILE
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) BINARY=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --10m) ROWS=10000000; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --latency-files) LATENCY_FILES=$2; shift 2 ;;
    --latency-rows) LATENCY_ROWS=$2; shift 2 ;;
    --latency-gap) LATENCY_GAP=$2; shift 2 ;;
    --kind-rows) KIND_ROWS=$2; shift 2 ;;
    --kind-runs) KIND_RUNS=$2; shift 2 ;;
    --no-kinds) DO_KINDS=0; shift ;;
    --no-latency) DO_LATENCY=0; shift ;;
    --sql-dir) SQL_DIR=$2; shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --report) REPORT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ -n "$BINARY" && -x "$BINARY" ]] || { echo "--binary must name the built dataprocessor" >&2; exit 2; }
BINARY=$(realpath "$BINARY")
SQL_DIR=$(realpath "$SQL_DIR")
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }
command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is missing (watch-mode latency)" >&2; exit 2; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PG_BIN/initdb" ]] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 2; }

STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=${WORKDIR:-$(mktemp -d /tmp/dp-bench.XXXXXX)}
mkdir -p "$WORK"
chmod 755 "$WORK"
LOG="$WORK/bench.log"
: >"$LOG"

say() { printf '%s\n' "$*" >&2; }
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate() { awk -v r="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", r / s; else print "n/a" }'; }

# --- a throwaway cluster, default durability settings (fsync on) for a fair comparison --------
PG_USER_SYS=dp_bench
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$PG_USER_SYS" -- "$@"; else "$@"; fi
}
if [[ $(id -u) -eq 0 ]] && ! id "$PG_USER_SYS" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_SYS"
fi
PGROOT="$WORK/pg"
mkdir -p "$PGROOT/sock"
[[ $(id -u) -eq 0 ]] && chown -R "$PG_USER_SYS" "$PGROOT"
as_pg "$PG_BIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >>"$LOG" 2>&1
as_pg "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -l "$PGROOT/postgres.log" \
  -o "-p $PORT -k $PGROOT/sock -c listen_addresses='' -c max_prepared_transactions=16" start \
  >>"$LOG" 2>&1

SERVICE_PID=""
cleanup() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  as_pg "$PG_BIN/pg_ctl" -w -D "$PGROOT/data" -m fast stop >>"$LOG" 2>&1 || true
  if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK"; else say "work folder kept: $WORK"; fi
}
trap cleanup EXIT

BASE="host=$PGROOT/sock port=$PORT user=postgres"
export PGOPTIONS="-c client_min_messages=warning"
CONN="$BASE dbname=bench"
psql -X -q "$BASE dbname=postgres" -c "CREATE DATABASE bench" >>"$LOG"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$CONN" -c "$1"; }

mkdir -p "$WORK/imports" "$WORK/exports" "$WORK/logs" "$WORK/data"
DP_SETTINGS=(--set "imports_dir=$WORK/imports" --set "exports_dir=$WORK/exports"
             --set "logs_dir=$WORK/logs" --set "sql_dir=$SQL_DIR" --set "http_port=0")
dp() { (cd "$WORK" && DB_STRING="$CONN" "$BINARY" "$@" "${DP_SETTINGS[@]}"); }
dp --init-db >>"$LOG" 2>&1

# Every timed load starts from the same state: the tables of every earlier load empty (staging,
# the ledger and the psql tables), a checkpoint, and no autovacuum worker busy. Without it the
# autovacuum of the previous loader's millions of fresh rows (PostgreSQL vacuums a table after
# inserts) ran beside the next loader: at load average 0 the two-stream --ingest that followed
# psql's load took 3.35 s and the one-stream one after it 2.96 s (runs of 2026-12-06 20:44).
fresh_ledger() {
  sql "DO \$\$ DECLARE t record; BEGIN
         FOR t IN SELECT table_schema, table_name FROM information_schema.tables
                   WHERE table_schema IN ('staging', 'public') AND table_type = 'BASE TABLE' LOOP
           EXECUTE format('TRUNCATE %I.%I', t.table_schema, t.table_name);
         END LOOP;
         TRUNCATE ingest.files CASCADE;
       END \$\$" >/dev/null
  sql "CHECKPOINT" >/dev/null
  local waited=0
  while [[ $(sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'") != 0 ]] &&
        (( waited < 600 )); do
    sleep 0.2; waited=$(( waited + 1 ))
  done
}

# --- the course-traffic file ------------------------------------------------------------------
generate() { # kind rows out_dir -> prints the generated file's path (time -v into gen_time.txt)
  local kind=$1 rows=$2 out=$3
  mkdir -p "$out"
  if (cd "$WORK" && /usr/bin/time -v -o "$WORK/gen_time.txt" \
    "$BINARY" --generate "$kind" --rows "$rows" --out "$out" --seed 7) >>"$LOG" 2>&1; then
    # A kind that writes several files (yearly snapshots) is measured on its largest one.
    find "$out" -maxdepth 1 -type f \( -name '*.csv' -o -name '*.csv.gz' \) -printf '%s %p\n' |
      sort -nr | head -1 | cut -d' ' -f2-
    return 0
  fi
  return 1
}

awk_user_traffic() { # rows first_id path: same shape as the sample (ids, sources 1..10, ISO UTC)
  awk -v n="$1" -v first="$2" 'BEGIN {
    print "user_id,source_id,referred_at,campaign_code"
    srand(11)
    for (i = 0; i < n; i++) {
      printf "%d,%d,%04d-%02d-%02dT%02d:%02d:%02dZ,%c%c%c%c-%d-%d\n", first + i, 1 + int(rand() * 10),
        2023 + int(rand() * 3), 1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24),
        int(rand() * 60), int(rand() * 60), 65 + int(rand() * 26), 65 + int(rand() * 26),
        65 + int(rand() * 26), 65 + int(rand() * 26), 2023 + int(rand() * 3), 2023 + int(rand() * 3)
    }
  }' >"$3"
}

GENERATOR="dataprocessor --generate"
GEN_RSS=""; GEN_WALL=""
if BIG=$(generate user_traffic "$ROWS" "$WORK/data/big") && [[ -n "$BIG" ]]; then
  # The generator streams: its peak RSS must not grow with --rows (issue 4).
  GEN_RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/gen_time.txt")
  GEN_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$WORK/gen_time.txt")
else
  GENERATOR="awk (dataprocessor --generate unavailable)"
  BIG="$WORK/data/big/user_traffic_bench.csv"
  mkdir -p "$WORK/data/big"
  awk_user_traffic "$ROWS" 1 "$BIG"
fi
BIG_ROWS=$(( $(wc -l <"$BIG") - 1 ))
BIG_MB=$(awk -v b="$(stat -c %s "$BIG")" 'BEGIN { printf "%.1f", b / 1048576 }')
say "course-traffic file: $BIG_ROWS rows, $BIG_MB MiB, from $GENERATOR"

# The honest baseline: a plain table with exactly the file's columns and types (no key, no
# index, no default, no NOT NULL), which is what a user would load with psql instead. CREATE
# TABLE AS ... WITH NO DATA copies the staging columns' types and nothing else.
COLUMNS_UT="user_id,source_id,referred_at,campaign_code"
sql "CREATE TABLE public.bench_plain AS SELECT $COLUMNS_UT FROM staging.user_traffic WITH NO DATA"
# The earlier comparison, kept as a labelled second row: the staging columns plus a default
# file_id, an identity line_no and a primary key on both.
sql "CREATE TABLE public.bench_keyed (LIKE staging.user_traffic INCLUDING DEFAULTS);
     ALTER TABLE public.bench_keyed ALTER COLUMN file_id SET DEFAULT 1;
     ALTER TABLE public.bench_keyed ALTER COLUMN line_no ADD GENERATED BY DEFAULT AS IDENTITY;
     ALTER TABLE public.bench_keyed ADD PRIMARY KEY (file_id, line_no);"

# psql_copy TABLE FILE: prints the wall time of one \copy (FORMAT csv, HEADER) into TABLE.
psql_copy() {
  local table=$1 file=$2 columns=$3 t0 t1
  fresh_ledger
  t0=$(now)
  psql -X -q -v ON_ERROR_STOP=1 "$CONN" \
    -c "\\copy public.$table($columns) from '$file' (FORMAT csv, HEADER)" >>"$LOG" 2>&1
  t1=$(now)
  [[ $(sql "SELECT count(*) FROM public.$table") -eq $(( $(wc -l <"$file") - 1 )) ]] ||
    { say "psql loaded a wrong row count into $table"; exit 1; }
  elapsed "$t0" "$t1"
}

# dp_timed MODE FILE EXPECTED [--set K=V...]: one `dataprocessor MODE FILE` on an empty ledger;
# prints "wall_seconds peak_rss_kib".
dp_timed() {
  local mode=$1 file=$2 expect=$3 t0 t1
  shift 3
  fresh_ledger
  t0=$(now)
  (cd "$WORK" && DB_STRING="$CONN" /usr/bin/time -v -o "$WORK/time.txt" "$BINARY" "$mode" "$file" \
     "${DP_SETTINGS[@]}" "$@") >"$WORK/ingest.out" 2>>"$LOG"
  t1=$(now)
  grep -q "$expect" "$WORK/ingest.out" || { say "dataprocessor $mode did not report '$expect':"; cat "$WORK/ingest.out" >&2; exit 1; }
  echo "$(elapsed "$t0" "$t1") $(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")"
}

PLAIN_TIMES=(); KEYED_TIMES=(); DP_TIMES=(); DP_RSS=(); CHECK_TIMES=(); CHECK_RSS=(); ONE_TIMES=()
for run in $(seq 1 "$RUNS"); do
  PLAIN_TIMES+=("$(psql_copy bench_plain "$BIG" "$COLUMNS_UT")")
  timed=$(dp_timed --ingest "$BIG" "loaded $BIG_ROWS rows")
  DP_TIMES+=("${timed% *}"); DP_RSS+=("${timed#* }")
  # The same load with one COPY stream: what the parallel COPY of the file adds, same minutes.
  timed=$(dp_timed --ingest "$BIG" "loaded $BIG_ROWS rows" --set parallel_copy_streams=1)
  ONE_TIMES+=("${timed% *}")
  timed=$(dp_timed --check "$BIG" "would load $BIG_ROWS rows")
  CHECK_TIMES+=("${timed% *}"); CHECK_RSS+=("${timed#* }")
  KEYED_TIMES+=("$(psql_copy bench_keyed "$BIG" "$COLUMNS_UT")")
  say "run $run: psql \\copy plain ${PLAIN_TIMES[-1]} s, --ingest ${DP_TIMES[-1]} s (RSS ${DP_RSS[-1]} KiB), one stream ${ONE_TIMES[-1]} s, --check ${CHECK_TIMES[-1]} s (RSS ${CHECK_RSS[-1]} KiB), psql \\copy keyed ${KEYED_TIMES[-1]} s; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
sql "TRUNCATE public.bench_plain, public.bench_keyed" >/dev/null
# Each --ingest of the big file logs "copying N parts side by side" when it loads in parts.
PARALLEL_RUNS=$(grep -c "parts side by side" "$LOG" || true)
say "--ingest of the big file (default settings) ran in parts $PARALLEL_RUNS of $RUNS times ($(grep -o 'copying [0-9]* parts' "$LOG" | sort -u | tr '\n' ' '))"
LOAD_AFTER_THROUGHPUT=$(cut -d' ' -f1-3 /proc/loadavg)

PLAIN_MED=$(printf '%s\n' "${PLAIN_TIMES[@]}" | median)
KEYED_MED=$(printf '%s\n' "${KEYED_TIMES[@]}" | median)
DP_MED=$(printf '%s\n' "${DP_TIMES[@]}" | median)
ONE_MED=$(printf '%s\n' "${ONE_TIMES[@]}" | median)
CHECK_MED=$(printf '%s\n' "${CHECK_TIMES[@]}" | median)
RSS_MAX=$(printf '%s\n' "${DP_RSS[@]}" | sort -g | tail -1)
CHECK_RSS_MAX=$(printf '%s\n' "${CHECK_RSS[@]}" | sort -g | tail -1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- fixed cost per file: --ingest of a small file --------------------------------------------
SMALL_ROWS=1000
SMALL="$WORK/data/user_traffic_small.csv"
awk_user_traffic "$SMALL_ROWS" 1 "$SMALL"
SMALL_TIMES=(); SMALL_PLAIN=()
for run in $(seq 1 "$RUNS"); do
  SMALL_PLAIN+=("$(psql_copy bench_plain "$SMALL" "$COLUMNS_UT")")
  timed=$(dp_timed --ingest "$SMALL" "loaded $SMALL_ROWS rows")
  SMALL_TIMES+=("${timed% *}")
done
SMALL_MED=$(printf '%s\n' "${SMALL_TIMES[@]}" | median)
SMALL_PLAIN_MED=$(printf '%s\n' "${SMALL_PLAIN[@]}" | median)
sql "DROP TABLE public.bench_plain, public.bench_keyed" >/dev/null

# --- watch-mode latency -----------------------------------------------------------------------
WATCH_RSS="n/a"; WATCH_EXIT="n/a"
if [[ $DO_LATENCY -eq 1 ]]; then
  fresh_ledger
  mkdir -p "$WORK/latency"
  for i in $(seq 1 "$LATENCY_FILES"); do
    awk_user_traffic "$LATENCY_ROWS" $((i * 1000)) "$WORK/latency/user_traffic_latency_$i.csv"
  done
  (cd "$WORK" && DB_STRING="$CONN" exec "$BINARY" --watch "${DP_SETTINGS[@]}") >"$WORK/watch.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 600); do grep -q " workers" "$WORK/watch.log" && break; sleep 0.1; done
  grep -q " workers" "$WORK/watch.log" || { say "the service did not start:"; cat "$WORK/watch.log" >&2; exit 1; }
  python3 "$SCRIPT_DIR/latency_probe.py" drop "$WORK/latency" "$WORK/imports" "$LATENCY_FILES" \
    "$LATENCY_GAP" "$WORK/drops.csv"
  for _ in $(seq 1 600); do
    [[ $(sql "SELECT count(*) FROM ingest.files WHERE status = 'loaded'") -ge $LATENCY_FILES ]] && break
    sleep 0.2
  done
  WATCH_RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVICE_PID/status")
  kill -TERM "$SERVICE_PID"
  set +e; wait "$SERVICE_PID"; WATCH_EXIT=$?; set -e
  SERVICE_PID=""
  sql "SELECT original_name || ',' || extract(epoch FROM finished_at) FROM ingest.files
       WHERE status = 'loaded'" >"$WORK/finished.csv"
  eval "$(python3 "$SCRIPT_DIR/latency_probe.py" report "$WORK/drops.csv" "$WORK/watch.log" \
          "$WORK/finished.csv")"
  [[ $LAT_FILES -eq $LATENCY_FILES ]] || say "only $LAT_FILES of $LATENCY_FILES latency files loaded"
fi

# --- rows/s per kind --------------------------------------------------------------------------
KIND_TABLE=""
if [[ $DO_KINDS -eq 1 ]]; then
  for kind in "${KINDS[@]}"; do
    if ! file=$(generate "$kind" "$KIND_ROWS" "$WORK/data/kind_$kind") || [[ -z "$file" ]]; then
      KIND_TABLE+="| $kind | – | – | – | – | generator unavailable |"$'\n'
      continue
    fi
    dp_times=(); psql_times=(); loaded=""; note=""
    for run in $(seq 1 "$KIND_RUNS"); do
      fresh_ledger
      t0=$(now)
      dp --ingest "$file" >"$WORK/kind.out" 2>>"$LOG" || true
      t1=$(now)
      loaded=$(sed -n 's/.*: loaded \([0-9]*\) rows into \([a-z_]*\).*/\1/p' "$WORK/kind.out" | head -1)
      [[ -n "$loaded" ]] || { note="not loaded: $(head -c 200 "$WORK/kind.out" | tr '\n|' '  ')"; break; }
      dp_times+=("$(elapsed "$t0" "$t1")")
    done
    table=""
    # Which staging table holds the rows: the one with a lineage row for the loaded file.
    for t in $(sql "SELECT table_name FROM information_schema.tables WHERE table_schema = 'staging'
                    AND table_type = 'BASE TABLE' AND table_name <> 'bench_copy'"); do
      if [[ $(sql "SELECT count(*) FROM (SELECT 1 FROM staging.\"$t\" LIMIT 1) x") -gt 0 ]]; then table=$t; fi
    done
    psql_note="no comparable table"
    if [[ -n "$loaded" && -n "$table" && "$file" == *.csv ]]; then
      columns=$(sql "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position)
                     FROM information_schema.columns WHERE table_schema = 'staging'
                     AND table_name = '$table' AND column_name NOT IN ('file_id', 'line_no')")
      first_column=$(sql "SELECT column_name FROM information_schema.columns WHERE table_schema = 'staging'
                          AND table_name = '$table' AND column_name NOT IN ('file_id', 'line_no')
                          ORDER BY ordinal_position LIMIT 1")
      header=""
      head -1 "$file" | tr 'A-Z' 'a-z' | grep -q "^\"\\?$first_column" && header="header"
      # The honest baseline again: the kind's columns and types only.
      sql "DROP TABLE IF EXISTS staging.bench_copy;
           CREATE TABLE staging.bench_copy AS SELECT $columns FROM staging.\"$table\" WITH NO DATA" >/dev/null
      for run in $(seq 1 "$KIND_RUNS"); do
        sql "TRUNCATE staging.bench_copy; CHECKPOINT" >/dev/null
        t0=$(now)
        if psql -X -q -v ON_ERROR_STOP=1 "$CONN" \
             -c "\\copy staging.bench_copy($columns) from '$file' (FORMAT csv${header:+, HEADER})" >"$WORK/psql.out" 2>&1; then
          t1=$(now)
          psql_times+=("$(elapsed "$t0" "$t1")")
          psql_rows=$(sql "SELECT count(*) FROM staging.bench_copy")
        else
          psql_note="psql \\copy refuses the raw file: $(grep -m1 ERROR "$WORK/psql.out" | cut -c1-90 | tr '|' ' ')"
          psql_times=()
          break
        fi
      done
      sql "DROP TABLE IF EXISTS staging.bench_copy" >/dev/null
    fi
    if [[ -z "$loaded" ]]; then
      KIND_TABLE+="| $kind | – | – | – | – | $note |"$'\n'
      continue
    fi
    dp_med=$(printf '%s\n' "${dp_times[@]}" | median)
    if [[ ${#psql_times[@]} -gt 0 ]]; then
      psql_med=$(printf '%s\n' "${psql_times[@]}" | median)
      KIND_TABLE+="| $kind | $loaded | $(rate "$loaded" "$dp_med") | $(rate "$psql_rows" "$psql_med") | $(awk -v a="$psql_med" -v b="$dp_med" 'BEGIN { printf "%.2f", a / b }') | |"$'\n'
    else
      KIND_TABLE+="| $kind | $loaded | $(rate "$loaded" "$dp_med") | – | – | $psql_note |"$'\n'
    fi
  done
fi

# --- report -----------------------------------------------------------------------------------
{
  echo "## Machine"
  echo
  echo "$(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "Linux $(uname -r), PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') (default fsync/synchronous_commit),"
  echo "started $STARTED_AT; load average $LOAD_AT_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
  echo
  echo "## Throughput: $BIG_ROWS course-traffic rows ($BIG_MB MiB, generated by $GENERATOR), medians of $RUNS alternating runs"
  echo
  echo "Load average after these runs: $LOAD_AFTER_THROUGHPUT."
  echo
  echo "| loader | median wall (s) | rows/s | vs plain psql \\copy | peak RSS (MiB) | runs (s) |"
  echo "|---|---|---|---|---|---|"
  echo "| psql \\copy (FORMAT csv, HEADER) into a plain table (the file's columns and types; no key, index or default) | $PLAIN_MED | $(rate "$BIG_ROWS" "$PLAIN_MED") | 1.00 | – | ${PLAIN_TIMES[*]} |"
  echo "| dataprocessor --ingest | $DP_MED | $(rate "$BIG_ROWS" "$DP_MED") | **$(ratio "$PLAIN_MED" "$DP_MED")x** | $(mib "$RSS_MAX") | ${DP_TIMES[*]} |"
  echo "| dataprocessor --ingest, one COPY stream (parallel_copy_streams=1) | $ONE_MED | $(rate "$BIG_ROWS" "$ONE_MED") | $(ratio "$PLAIN_MED" "$ONE_MED")x | – | ${ONE_TIMES[*]} |"
  echo "| dataprocessor --check (loads nothing) | $CHECK_MED | $(rate "$BIG_ROWS" "$CHECK_MED") | **$(ratio "$PLAIN_MED" "$CHECK_MED")x** | $(mib "$CHECK_RSS_MAX") | ${CHECK_TIMES[*]} |"
  echo "| (earlier baseline) psql \\copy into the staging columns + default file_id, identity line_no, primary key (file_id, line_no) | $KEYED_MED | $(rate "$BIG_ROWS" "$KEYED_MED") | $(ratio "$PLAIN_MED" "$KEYED_MED")x | – | ${KEYED_TIMES[*]} |"
  echo
  echo "Ratios are plain psql \\copy wall / the loader's wall (higher is faster). Targets (issue 14):"
  echo "--ingest ≥ 1.5x (4M rows), ≥ 1.7x (10M rows); --check ≥ 2x; peak RSS ≤ 64 MiB."
  if [[ -n $GEN_RSS ]]; then
    echo "Generating the file (dataprocessor --generate user_traffic --rows $BIG_ROWS): $GEN_WALL wall, peak RSS $(mib "$GEN_RSS") MiB."
  fi
  echo
  echo "## Fixed cost per file: $SMALL_ROWS rows, medians of $RUNS alternating runs"
  echo
  echo "| loader | median wall (s) | runs (s) |"
  echo "|---|---|---|"
  echo "| psql \\copy into the plain table | $SMALL_PLAIN_MED | ${SMALL_PLAIN[*]} |"
  echo "| dataprocessor --ingest (process start to exit) | $SMALL_MED | ${SMALL_TIMES[*]} |"
  echo
  if [[ $DO_LATENCY -eq 1 ]]; then
    echo "## Watch-mode latency: $LAT_FILES files of $LATENCY_ROWS rows, one every ${LATENCY_GAP}s"
    echo
    echo "| from the rename into imports/ to | p50 (ms) | p99 (ms) | max (ms) |"
    echo "|---|---|---|---|"
    echo "| **loaded and committed** (the service's \"loaded\" log line) | **$LAT_COMMITTED_P50** | **$LAT_COMMITTED_P99** | $LAT_COMMITTED_MAX |"
    echo "| ledger finished_at (clock_timestamp() just before COMMIT) | $LAT_FINISHED_P50 | $LAT_FINISHED_P99 | $LAT_FINISHED_MAX |"
    echo "| handed to a worker (\"ready\" log line) | $LAT_READY_P50 | $LAT_READY_P99 | $LAT_READY_MAX |"
    echo "| (the load itself, as the service reports it) | $LAT_LOAD_P50 | $LAT_LOAD_P99 | $LAT_LOAD_MAX |"
    echo
    echo "Service peak RSS in watch mode: $(awk -v k="$WATCH_RSS" 'BEGIN { if (k + 0 > 0) printf "%.1f MiB", k / 1024; else print "n/a" }');"
    echo "exit code on SIGTERM: $WATCH_EXIT. Targets: p50 ≤ 20 ms, p99 ≤ 100 ms."
    echo
  fi
  if [[ $DO_KINDS -eq 1 ]]; then
    echo "## Rows/s per kind: $KIND_ROWS generated rows each, medians of $KIND_RUNS runs"
    echo
    echo "| kind | rows loaded | dataprocessor rows/s | psql \\copy rows/s | ratio | note |"
    echo "|---|---|---|---|---|---|"
    printf '%s' "$KIND_TABLE"
    echo
  fi
} | tee "$WORK/results.md"
[[ -n "$REPORT" ]] && cp "$WORK/results.md" "$REPORT"
exit 0
