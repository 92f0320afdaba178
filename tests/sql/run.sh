#!/usr/bin/env bash
# SQL test harness for the warehouse (sql/migrations, sql/warehouse, sql/analysis).
# Starts a throwaway PostgreSQL 15, applies the migrations and the staging tables under the
# non-default schema names "stg" and "dw", loads the sample data (/work/shared/data, or
# DP_SAMPLE_DATA) plus the fixtures in tests/sql/fixtures/data in several batches and orders,
# emulates the --pipeline runner with psql, and runs the checks in tests/sql/checks (each a
# query returning offending rows). Exits 1 when a check fails, 2 when the harness itself fails.
#
#   tests/sql/run.sh            # as root (creates the system user dp_sqltest) or as any user
#   KEEP=1 tests/sql/run.sh     # leave the server running and print how to connect
#   SCENARIOS="a c" tests/sql/run.sh   # run only some scenarios
#   DP_SQL_ROOT=/other/sql tests/sql/run.sh   # test another copy of sql/
set -uo pipefail

TESTS_ROOT=$(cd "$(dirname "$0")" && pwd)
SQL_ROOT=${DP_SQL_ROOT:-$(cd "$TESTS_ROOT/../../sql" && pwd)}
SAMPLES=${DP_SAMPLE_DATA:-/work/shared/data}
FIXTURES=$TESTS_ROOT/fixtures/data
CHECKS=$TESTS_ROOT/checks
PGPORT=${DP_SQLTEST_PORT:-5499}
WORK=$(mktemp -d /tmp/dp_sqltest.XXXXXX)
FAILURES=0
# Every session runs in a time zone far from UTC: the warehouse must not depend on it.
export PGOPTIONS="-c TimeZone=Pacific/Chatham -c client_min_messages=warning"

# shellcheck source=lib.sh
. "$TESTS_ROOT/lib.sh"

cleanup() {
  if [ -n "${KEEP:-}" ]; then
    echo "server kept: psql -h $WORK/sock -p $PGPORT -U postgres -d scenario_a"
  else
    pg_stop
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

[ -d "$SAMPLES/seeds" ] || die "sample data not found in $SAMPLES"
SUPPORT=$SAMPLES/seeds/Mini-ETL-Tool/data
TRAFFIC=$SAMPLES/seeds/BI_project.v2

# Split sample files (header kept where the kind has one) so keys arrive in several batches.
DATA=$WORK/data
mkdir -p "$DATA"
split_lines() { # split_lines SRC DEST FIRST LAST HAS_HEADER
  local src=$1 dest=$2 first=$3 last=$4 header=$5
  { [ "$header" = 1 ] && head -n 1 "$src"; sed -n "${first},${last}p" "$src"; } >"$dest"
}
split_lines "$TRAFFIC/user_traffic.csv" "$DATA/user_traffic_part1.csv" 2 600 1
split_lines "$TRAFFIC/user_traffic.csv" "$DATA/user_traffic_part2.csv" 601 1001 1
split_lines "$TRAFFIC/user_traffic.csv" "$DATA/user_traffic_part3_correction.csv" 1002 1002 1
split_lines "$TRAFFIC/marketing_data_with_days.csv" "$DATA/marketing_part1.csv" 2 5001 1
split_lines "$TRAFFIC/marketing_data_with_days.csv" "$DATA/marketing_part2.csv" 5002 10001 1
split_lines "$SAMPLES/habits/habit_records_sample.csv" "$DATA/habit_records_part1.csv" 2 30 1
split_lines "$SAMPLES/habits/habit_records_sample.csv" "$DATA/habit_records_part2.csv" 31 41 1
split_lines "$SAMPLES/seeds/DataProcessor/2019_free_title_data.csv" "$DATA/title_data_part1.csv" 2 2500 1
split_lines "$SAMPLES/seeds/DataProcessor/2019_free_title_data.csv" "$DATA/title_data_part2.csv" 2501 5001 1
# products: the products (level 3) in an early batch while their groups and lines are missing,
# the lines and groups in a later one
tr -d '\r' <"$SUPPORT/products.csv" >"$DATA/products_all.csv"
awk -F'","' '$3 == "\""' "$DATA/products_all.csv" >"$DATA/products_lines.csv"
awk -F'","' 'NR == FNR { sub(/^"/, "", $1); line[$1] = 1; next }
             $3 == "\"" { next }
             { p = $3; sub(/"$/, "", p); print > (p in line ? g : o) }' \
  g="$DATA/products_groups.csv" o="$DATA/products_only.csv" "$DATA/products_lines.csv" "$DATA/products_all.csv"
cat "$DATA/products_lines.csv" "$DATA/products_groups.csv" >"$DATA/products_lines_and_groups.csv"

# --- scenario A: three batches with out-of-order snapshots, late records, corrections ---------
scenario_a() {
  local db=scenario_a
  create_database $db
  q $db -c "SET search_path = \"$DW_SCHEMA\", \"$STG_SCHEMA\", ingest, public" \
    -f "$TESTS_ROOT/fixtures/compare.sql" >/dev/null || die "compare fixture"

  # batch 1
  load_file $db traffic_sources "$SAMPLES/course_traffic/traffic_sources.csv" '2023-01-01 00:00:00+00'
  load_file $db user_traffic "$DATA/user_traffic_part1.csv"
  load_file $db marketing_daily "$DATA/marketing_part1.csv"
  load_file $db marketing_daily "$FIXTURES/marketing_partner_blog_and_podcast.csv"
  load_file $db habit_records "$DATA/habit_records_part1.csv"
  load_file $db analyst_snapshots "$SUPPORT/analysts_2010.csv"
  load_file $db analyst_snapshots "$SUPPORT/analysts_2012.csv"
  load_file $db cases "$SUPPORT/cases_2011.csv"
  load_file $db cases "$SUPPORT/cases_2012.csv"
  load_file $db case_logs "$SUPPORT/logs_2012.csv"
  load_file $db case_logs "$SUPPORT/logs_2013.csv"
  load_file $db products "$DATA/products_only.csv"
  load_file $db priority_sla "$SUPPORT/PrioritySLA.csv"
  load_file $db title_data "$DATA/title_data_part1.csv"
  load_file $db calendar "$SUPPORT/calendar.csv"
  run_pipeline $db incremental >/dev/null

  # batch 2
  load_file $db analyst_snapshots "$SUPPORT/analysts_2011.csv"
  load_file $db cases "$SUPPORT/cases_2013.csv"
  load_file $db cases "$FIXTURES/cases_unknown_analyst_no_logs.csv"
  load_file $db case_logs "$SUPPORT/logs_2011.csv"
  load_file $db user_traffic "$DATA/user_traffic_part2.csv"
  load_file $db habit_records "$DATA/habit_records_part2.csv"
  load_file $db traffic_sources "$FIXTURES/traffic_sources_channel_change.csv" '2024-06-01 00:00:00+00'
  load_file $db title_data "$DATA/title_data_part2.csv"
  load_file $db title_data "$FIXTURES/title_data_normalization_cases.csv"
  load_file $db products "$DATA/products_lines_and_groups.csv"
  load_file $db marketing_daily "$DATA/marketing_part2.csv"
  run_pipeline $db incremental parallel >/dev/null

  # batch 3
  load_file $db analyst_snapshots "$SUPPORT/analysts_2014.csv"
  load_file $db analyst_snapshots "$SUPPORT/analysts_2013.csv"
  load_file $db analyst_snapshots "$FIXTURES/analysts.csv"
  load_file $db cases "$SUPPORT/cases_2014.csv"
  load_file $db cases "$SUPPORT/cases.csv"
  load_file $db cases "$FIXTURES/cases_correction.csv"
  load_file $db case_logs "$SUPPORT/logs_2014.csv"
  load_file $db case_logs "$SUPPORT/logs.csv"
  load_file $db habit_records "$FIXTURES/habit_records_late_and_recategorized.csv"
  load_file $db habit_records "$FIXTURES/habit_records_year_boundary.csv"
  load_file $db user_traffic "$DATA/user_traffic_part3_correction.csv"
  load_file $db user_traffic "$FIXTURES/user_traffic_unknown_source_and_channel_change.csv"
  run_pipeline $db incremental >/dev/null

  # batch 4: nothing new must change nothing, batch ids included
  q $db -c "SELECT dp_cmp.snapshot_raw('$DW_SCHEMA', 'dp_snap_raw_before')" >/dev/null
  run_pipeline $db incremental parallel >/dev/null
  q $db -c "SELECT dp_cmp.snapshot_raw('$DW_SCHEMA', 'dp_snap_raw_after')" >/dev/null
  check $db "$CHECKS/empty_run_changes_nothing.sql"

  # analysis views on the incremental build
  build_analysis $db
  run_all_checks $db "after incremental runs" scenario

  q $db -c "SELECT dp_cmp.snapshot('dp_snap_incremental')" >/dev/null
  run_pipeline $db full >/dev/null
  q $db -c "SELECT dp_cmp.snapshot('dp_snap_full')" >/dev/null
  check $db "$CHECKS/incremental_equals_full.sql" "incremental_equals_full (3 batches, mixed order)"
  run_all_checks $db "after --full" scenario
}

# --- scenario B: batches of three files in a largely reversed order, a crashed run ----------
scenario_b() {
  local db=scenario_b f
  create_database $db
  q $db -c "SET search_path = \"$DW_SCHEMA\", \"$STG_SCHEMA\", ingest, public" \
    -f "$TESTS_ROOT/fixtures/compare.sql" >/dev/null || die "compare fixture"
  local files=(
    "case_logs $SUPPORT/logs.csv"
    "analyst_snapshots $FIXTURES/analysts.csv"
    "analyst_snapshots $SUPPORT/analysts_2014.csv"
    "cases $SUPPORT/cases_2014.csv"
    "analyst_snapshots $SUPPORT/analysts_2012.csv"
    "habit_records $FIXTURES/habit_records_late_and_recategorized.csv"
    "user_traffic $DATA/user_traffic_part3_correction.csv"
    "traffic_sources $FIXTURES/traffic_sources_channel_change.csv"
    "marketing_daily $FIXTURES/marketing_partner_blog_and_podcast.csv"
    "products $DATA/products_lines_and_groups.csv"
    "title_data $FIXTURES/title_data_normalization_cases.csv"
    "cases $FIXTURES/cases_correction.csv"
    "analyst_snapshots $SUPPORT/analysts_2010.csv"
    "cases $SUPPORT/cases.csv"
    "habit_records $SAMPLES/habits/habit_records_sample.csv"
    "user_traffic $TRAFFIC/user_traffic.csv"
    "traffic_sources $SAMPLES/course_traffic/traffic_sources.csv"
    "marketing_daily $DATA/marketing_part2.csv"
    "products $DATA/products_only.csv"
    "title_data $DATA/title_data_part2.csv"
    "analyst_snapshots $SUPPORT/analysts_2011.csv"
    "analyst_snapshots $SUPPORT/analysts_2013.csv"
    "priority_sla $SUPPORT/PrioritySLA.csv"
    "user_traffic $FIXTURES/user_traffic_unknown_source_and_channel_change.csv"
    "cases $FIXTURES/cases_unknown_analyst_no_logs.csv"
    "title_data $DATA/title_data_part1.csv"
    "marketing_daily $DATA/marketing_part1.csv"
    "habit_records $FIXTURES/habit_records_year_boundary.csv"
    "calendar $SUPPORT/calendar.csv"
  )
  # three files per batch; the batch that holds analysts_2010.csv crashes after dim_analyst, so
  # its dimension changes are committed while fact_case never ran: the next run must repair it
  local n=0
  for f in "${files[@]}"; do
    # shellcheck disable=SC2086
    load_file $db $f
    n=$((n + 1))
    if [ $((n % 3)) = 0 ] || [ $n = ${#files[@]} ]; then
      if [ $n = 15 ]; then
        run_pipeline $db incremental "" dim_analyst >/dev/null
      else
        run_pipeline $db incremental parallel >/dev/null
      fi
    fi
  done
  run_all_checks $db "after incremental runs" generic
  q $db -c "SELECT dp_cmp.snapshot('dp_snap_incremental')" >/dev/null
  run_pipeline $db full parallel >/dev/null
  q $db -c "SELECT dp_cmp.snapshot('dp_snap_full')" >/dev/null
  check $db "$CHECKS/incremental_equals_full.sql" "incremental_equals_full (10 batches, reversed, crash)"
  run_all_checks $db "after --full" generic
}

# --- scenario C: an empty warehouse; analysis views exist and are empty -----------------------
scenario_c() {
  local db=scenario_c
  create_database $db
  run_pipeline $db incremental >/dev/null
  build_analysis $db
  check $db "$CHECKS/analysis_views_empty.sql"
  check $db "$CHECKS/unknown_members_present.sql"
}

# build_analysis DB: sql/analysis/**/*.sql in path order, one transaction, step search_path.
build_analysis() {
  local db=$1 files=() f
  mapfile -t files < <(cd "$SQL_ROOT/analysis" && find . -name '*.sql' | sort)
  local args=(-c "BEGIN" -c "SET LOCAL search_path = \"$DW_SCHEMA\", \"$STG_SCHEMA\", ingest, public")
  for f in "${files[@]}"; do args+=(-c "$(cat "$SQL_ROOT/analysis/$f")"); done
  args+=(-c "COMMIT")
  q "$db" "${args[@]}" >/dev/null || die "analysis views failed in $db"
}

run_all_checks() { # run_all_checks DB LABEL generic|scenario
  local db=$1 label=$2 kind=$3 f
  echo "--- $db: $label"
  for f in "$CHECKS"/*.sql; do
    case $(basename "$f") in
      incremental_equals_full.sql | empty_run_changes_nothing.sql | analysis_views_empty.sql) continue ;;
      scenario_*) [ "$kind" = scenario ] || continue ;;
    esac
    check "$db" "$f"
  done
}

pg_start
for s in ${SCENARIOS:-a b c}; do "scenario_$s"; done

if [ "$FAILURES" -gt 0 ]; then
  echo "$FAILURES check(s) failed"
  exit 1
fi
echo "all checks passed"
