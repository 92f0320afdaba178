# Helpers for tests/sql/run.sh: a throwaway PostgreSQL 15, the migration and step-runner
# contract emulated with psql, and a loader that fills staging + ledger like the service does.
# Sourced, not executed. Needs: SQL_ROOT (repo sql/), WORK (scratch folder), PGPORT, PGHOST.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=dp_sqltest
STG_SCHEMA=stg
DW_SCHEMA=dw

die() { echo "FATAL: $*" >&2; exit 2; }

pg_start() {
  if [ "$(id -u)" = 0 ]; then
    id "$PG_USER" >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    RUN_AS=(runuser -u "$PG_USER" --)
    chown "$PG_USER" "$WORK"
  else
    RUN_AS=()
  fi
  mkdir -p "$WORK/sock"
  [ "$(id -u)" = 0 ] && chown "$PG_USER" "$WORK/sock"
  "${RUN_AS[@]}" "$PG_BIN/initdb" -A trust -E UTF8 --locale=C.UTF-8 --no-sync -U postgres \
    -D "$WORK/pgdata" >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; die "initdb failed"; }
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -w -D "$WORK/pgdata" -l "$WORK/postgres.log" \
    -o "-p $PGPORT -k $WORK/sock -c listen_addresses='' -c fsync=off -c max_connections=40" \
    start >/dev/null || { cat "$WORK/postgres.log"; die "pg_ctl start failed"; }
  PG_STARTED=1
}

pg_stop() {
  if [ -n "${PG_STARTED:-}" ]; then
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -w -D "$WORK/pgdata" -m fast stop >/dev/null 2>&1 || true
    PG_STARTED=
  fi
}

# q DB [psql args...]: psql against DB, stopping at the first error, quiet, unaligned.
q() {
  local db=$1
  shift
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORK/sock" -p "$PGPORT" -U postgres -d "$db" "$@"
}

# Creates DB and applies sql/migrations/V*.sql like the service: in file order, each in its own
# transaction with the search_path and dp.* settings of the migration contract.
create_database() {
  local db=$1 f
  q postgres -c "CREATE DATABASE $db" || die "createdb $db"
  for f in "$SQL_ROOT"/migrations/V*.sql; do
    q "$db" \
      -c "BEGIN" \
      -c "SET LOCAL search_path = \"$DW_SCHEMA\", \"$STG_SCHEMA\", ingest, public" \
      -c "SELECT set_config('dp.staging_schema', '$STG_SCHEMA', true), set_config('dp.dw_schema', '$DW_SCHEMA', true)" \
      -c "$(cat "$f")" \
      -c "COMMIT" >/dev/null || die "migration $(basename "$f") failed in $db"
  done
  q "$db" -c "SET search_path = \"$STG_SCHEMA\", ingest, public" \
    -f "$TESTS_ROOT/fixtures/staging_tables.sql" >/dev/null || die "staging tables in $db"
}

# Per kind: number of CSV columns, whether the file has a header, and the SELECT that turns the
# raw text columns c1..cN of the temp table raw into the staging row.
kind_columns() {
  case $1 in
    user_traffic) echo "4 1" ;;
    marketing_daily) echo "8 1" ;;
    traffic_sources) echo "3 1" ;;
    title_data) echo "21 1" ;;
    habit_records) echo "11 1" ;;
    analyst_snapshots) echo "6 0" ;;
    cases) echo "5 0" ;;
    case_logs) echo "3 0" ;;
    products) echo "3 0" ;;
    priority_sla) echo "5 1" ;;
    calendar) echo "14 0" ;;
    *) die "unknown kind $1" ;;
  esac
}

kind_select() {
  case $1 in
    user_traffic)
      echo "c1::bigint, c2::integer, c3::timestamptz, nullif(c4, '')" ;;
    marketing_daily)
      echo "c1, nullif(c2, ''), c3::date, c4::numeric, c5::bigint, c6::bigint, c7::bigint, c8::numeric" ;;
    traffic_sources)
      echo "c1::integer, c2, nullif(c3, '')" ;;
    title_data)
      echo "c1, nullif(c2, '')::bigint, ARRAY(SELECT btrim(v) FROM unnest(ARRAY[c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21]) WITH ORDINALITY AS u(v, o) WHERE btrim(coalesce(v, '')) <> '' ORDER BY o)" ;;
    habit_records)
      echo "c1, nullif(c2, ''), c3::bigint, nullif(c5, '')::bigint, nullif(c4, '')::numeric, nullif(c6, ''), nullif(c7, ''), nullif(c8, ''), nullif(c9, '')::boolean, nullif(c10, ''), c11::bigint, to_timestamp(c11::bigint)" ;;
    analyst_snapshots)
      echo "c1, nullif(c2, ''), nullif(c3, ''), nullif(c4, ''), nullif(c5, '')::timestamp, nullif(c6, '')::timestamp, substring(:'name' FROM 'analysts_([0-9]{4})')::integer" ;;
    cases)
      echo "c1, nullif(c2, '')::integer, nullif(c3, '')::timestamp, nullif(c4, ''), nullif(c5, '')" ;;
    case_logs)
      echo "c1::timestamp, c2, c3" ;;
    products)
      echo "c1, nullif(c2, ''), nullif(c3, '')" ;;
    priority_sla)
      echo "c1::integer, nullif(c2, ''), c3::numeric, c4::numeric, c5::numeric" ;;
    calendar)
      echo "c1::integer, c2::date, c3::integer, c4, c5::integer, c6, c7, c8, c9, c10::integer, c11::integer, c12, c13, c14::integer" ;;
  esac
}

# load_file DB KIND PATH [STARTED_AT]: one file in one transaction: ledger row 'loading',
# staging rows with (file_id, line_no), then 'loaded' -- like the ingest engine. STARTED_AT
# (timestamptz text) pins the file's ledger time; otherwise the clock is used.
load_file() {
  local db=$1 kind=$2 path=$3 started=${4:-}
  local name sha size ncol header cols i
  name=$(basename "$path")
  sha=$(sha256sum "$path" | cut -d' ' -f1)
  size=$(stat -c %s "$path")
  read -r ncol header <<<"$(kind_columns "$kind")"
  cols="line_no"
  for ((i = 1; i <= ncol; i++)); do cols="$cols, c$i"; done
  q "$db" -v name="$name" -v sha="$sha" -v size="$size" -v kind="$kind" -v started="$started" <<SQL || die "loading $name into $db"
BEGIN;
SET LOCAL search_path = "$STG_SCHEMA", ingest, public;
INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status, started_at)
VALUES (:'sha', :'name', :size, :'kind', 'loading',
        coalesce(nullif(:'started', '')::timestamptz, clock_timestamp()))
RETURNING file_id \gset
CREATE TEMP TABLE raw (line_no bigint, $(for ((i = 1; i <= 21; i++)); do printf 'c%d text%s' $i "$([ $i -lt 21 ] && echo ,)"; done)) ON COMMIT DROP;
\copy raw ($cols) FROM PROGRAM 'awk -v skip=$header -f $TESTS_ROOT/fixtures/number_lines.awk $path' WITH (FORMAT csv)
INSERT INTO $kind SELECT :file_id, line_no, $(kind_select "$kind") FROM raw;
UPDATE ingest.files
   SET status = 'loaded', rows_loaded = (SELECT count(*) FROM raw),
       finished_at = CASE WHEN :'started' = '' THEN clock_timestamp() ELSE started_at END
 WHERE file_id = :file_id;
COMMIT;
SQL
}

# manifest_steps: "name|file|dep1,dep2" per step, in manifest order.
manifest_steps() {
  awk '
    function flush() { if (name != "") print name "|" file "|" deps; name = ""; file = ""; deps = "" }
    /^\[\[step\]\]/ { flush(); next }
    /^name *=/ { v = $0; sub(/^[^"]*"/, "", v); sub(/".*$/, "", v); name = v }
    /^file *=/ { v = $0; sub(/^[^"]*"/, "", v); sub(/".*$/, "", v); file = v }
    /^depends_on *=/ { v = $0; sub(/^[^\[]*\[/, "", v); sub(/\].*$/, "", v); gsub(/[" ]/, "", v); deps = v }
    END { flush() }
  ' "$SQL_ROOT/warehouse/manifest.toml"
}

# run_step DB BATCH MODE FILE: one step in one transaction with the runner contract; prints the
# step's rows_affected.
run_step() {
  local db=$1 batch=$2 mode=$3 file=$4 name=$5 errfile rows rc started
  errfile=$(mktemp "$WORK/step.XXXXXX")
  started=$(date +%s%N)
  rows=$(q "$db" -At \
    -c "SELECT \"$DW_SCHEMA\".etl_step_begin($batch, '$name')" \
    -c "BEGIN" \
    -c "SET LOCAL search_path = \"$DW_SCHEMA\", \"$STG_SCHEMA\", ingest, public" \
    -c "SELECT set_config('dp.batch_id', '$batch', true), set_config('dp.run_mode', '$mode', true)" \
    -c "$(cat "$SQL_ROOT/warehouse/$file")" \
    -c "COMMIT" 2>"$errfile" | tail -n 1)
  rc=$?
  local ms=$((($(date +%s%N) - started) / 1000000)) status=succeeded
  [ "$rc" = 0 ] || status=failed
  q "$db" -At -v err="$(head -c 2000 "$errfile")" >/dev/null <<SQL
SELECT "$DW_SCHEMA".etl_step_end($batch, '$name', '$status', $ms, nullif('${rows:-}', '')::bigint,
                                 nullif(:'err', ''));
SQL
  if [ "$rc" != 0 ]; then
    echo "step $file failed in $db:" >&2
    cat "$errfile" >&2
    return 1
  fi
  echo "$rows"
}

# run_pipeline DB MODE [parallel] [STOP_AFTER]: emulates dataprocessor --pipeline: lock,
# etl_begin_run, the manifest's steps (sequentially, or in parallel waves of steps whose
# dependencies are done), etl_finish_run. STOP_AFTER=<step> simulates a crash after that step
# (the run is marked failed and the remaining steps never run).
run_pipeline() {
  local db=$1 mode=$2 parallel=${3:-} stop_after=${4:-}
  local batch line name file deps done_list=" " pending progressed status=succeeded err=
  batch=$(q "$db" -At -c "SET search_path = \"$DW_SCHEMA\"" \
    -c "SELECT pg_advisory_lock(hashtext('dp-sqltest'))" -c "SELECT etl_begin_run('$mode')" | tail -n 1)
  mapfile -t pending < <(manifest_steps)
  while [ ${#pending[@]} -gt 0 ]; do
    local wave=() rest=() pids=() wnames=()
    for line in "${pending[@]}"; do
      IFS='|' read -r name file deps <<<"$line"
      local ready=1 d
      for d in ${deps//,/ }; do
        [[ "$done_list" == *" $d "* ]] || ready=0
      done
      if [ $ready = 1 ] && { [ -n "$parallel" ] || [ ${#wave[@]} = 0 ]; }; then
        wave+=("$line")
      else
        rest+=("$line")
      fi
    done
    [ ${#wave[@]} -gt 0 ] || die "manifest has a dependency cycle or unknown dependency"
    for line in "${wave[@]}"; do
      IFS='|' read -r name file deps <<<"$line"
      if [ -n "$parallel" ]; then
        (run_step "$db" "$batch" "$mode" "$file" "$name" >"$WORK/rows.$name") &
        pids+=($!)
        wnames+=("$name")
      else
        run_step "$db" "$batch" "$mode" "$file" "$name" >"$WORK/rows.$name" || { status=failed; err="step $name failed"; break 2; }
        done_list="$done_list$name "
      fi
      if [ "$name" = "$stop_after" ]; then status=failed; err="simulated crash after $name"; fi
    done
    if [ -n "$parallel" ]; then
      local i
      for i in "${!pids[@]}"; do
        if wait "${pids[$i]}"; then done_list="$done_list${wnames[$i]} "; else status=failed; err="step ${wnames[$i]} failed"; fi
      done
    fi
    [ "$status" = succeeded ] || break
    pending=("${rest[@]}")
  done
  q "$db" -At -c "SET search_path = \"$DW_SCHEMA\"" \
    -c "SELECT etl_finish_run($batch, '$status', nullif('$err', ''))" >/dev/null
  [ "$status" = succeeded ] || [ -n "$stop_after" ] || die "pipeline run $batch in $db failed: $err"
  echo "$batch"
}

# check DB FILE [LABEL]: runs a check query (offending rows; none = pass) with the step
# search_path. Prints and counts failures.
check() {
  local db=$1 file=$2 label=${3:-$(basename "$2" .sql)} out
  out=$(q "$db" -At -F ' | ' \
    -c "SET search_path = \"$DW_SCHEMA\", \"$STG_SCHEMA\", ingest, public" -f "$file" 2>&1)
  local rc=$?
  if [ $rc != 0 ]; then
    echo "FAIL [$db] $label: query error: $out"
    FAILURES=$((FAILURES + 1))
  elif [ -n "$out" ]; then
    echo "FAIL [$db] $label:"
    echo "$out" | head -n 20 | sed 's/^/    /'
    FAILURES=$((FAILURES + 1))
  else
    echo "ok   [$db] $label"
  fi
}
