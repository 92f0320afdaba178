#!/usr/bin/env bash
# Chaos test of the watch service: the built binary watches a fresh imports/ on its embedded
# PostgreSQL while files of several sizes stream in (exact duplicates under new names among
# them) and the service is killed with SIGKILL at random moments and restarted. At the end every
# content must be loaded exactly once (one `loaded` ledger row, its rows once in staging), every
# copy of a known content recorded as a duplicate and not loaded again, and imports/ empty.
#
#   tests/chaos/chaos.sh [--minutes M | --seconds S] [--binary PATH] [--seed N]
#                        [--max-rows N] [--keep] [--strict-ledger] [--inject-double-load]
#                        [--parallel]
#
# --minutes/--seconds  how long files stream in and kills happen (default 10 minutes)
# --binary             the dataprocessor to test (default build/dataprocessor)
# --seed               seed of the random schedule (default: from the clock); printed
# --max-rows           the largest file's data rows (default 50000)
# --keep               keep the work folder (it is always kept when a check fails)
# --strict-ledger      fail when a file name has more than one ledger row (a kill between the
#                      commit and the move makes the restart record the file again)
# --inject-double-load copy one staging row before the checks: they must then fail (the ctest
#                      chaos_checks_detect_a_double_load shows that the checks can fail)
# --parallel           load every file over parallel COPY streams (parallel_copy_min_bytes=0):
#                      kills then also land between PREPARE TRANSACTION and COMMIT PREPARED
#
# Prints the kills, files and rows, and exits 0 only when every check holds. ctest runs a short
# form (tests/chaos/CMakeLists.txt); run the long form by hand.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
binary=$root/build/dataprocessor
seconds=600
seed=$(( $(date +%s) % 100000 ))
max_rows=50000
keep=false
inject=false
strict_ledger=false
parallel_threshold=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --max-rows) max_rows=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    --inject-double-load) inject=true; shift ;;
    --strict-ledger) strict_ledger=true; shift ;;
    --parallel) parallel_threshold=(--set parallel_copy_min_bytes=0); shift ;;
    *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
[[ -x $binary ]] || { echo "chaos: no binary at $binary (build it first)" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
RANDOM=$seed

psql_bin=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[[ -n $psql_bin ]] || { echo "chaos: psql not found" >&2; exit 2; }

# The embedded cluster runs as a system user, which must be able to enter the work folder.
work=$(mktemp -d "${TMPDIR:-/tmp}/dp-chaos-XXXXXX")
chmod 755 "$work"
imports=$work/imports
mkdir -p "$imports" "$work/exports" "$work/logs" "$work/outside" "$work/generated" "$work/contents"
manifest=$work/manifest.tsv # name, sha256, rows, duplicate(0/1)
: >"$manifest"
pg_user=$([[ $(id -u) -eq 0 ]] && echo dataprocessor || id -un)

now_ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }
say() { printf '[chaos %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
sql() {
  # Every login to the embedded cluster needs its generated password (docs/security.md).
  PGPASSFILE="$work/var/pgpass" "$psql_bin" -X -q -A -t -h "$work/var/pgrun" -p 5432 \
    -U "$pg_user" -d dataprocessor -c "$1"
}
rand() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); } # 0 .. $1-1

service_pid=
starts=0
lines_at_start=0
start_service() {
  starts=$(( starts + 1 ))
  lines_at_start=$(ready_lines)
  # A clean environment, so that no DATABASE_URL or other setting of the caller leaks in.
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work" LANG=C.UTF-8 TZ=UTC \
    "$binary" --watch --set imports_dir="$imports" --set exports_dir="$work/exports" \
    --set logs_dir="$work/logs" --set data_dir="$work/var" --set settle_ms=100 \
    --set http_port=0 --set db_retry_max_delay_s=1 --set rescan_interval_s=5 \
    "${parallel_threshold[@]}" \
    >>"$work/service.log" 2>&1 &
  service_pid=$!
}
service_running() { [[ -n $service_pid ]] && kill -0 "$service_pid" 2>/dev/null; }
kill_service() {
  kill -KILL "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  service_pid=
}
ready_lines() {
  local n
  n=$(grep -c -- " workers" "$work/service.log" 2>/dev/null || true)
  echo "${n:-0}"
}
wait_until_ready() { # lines-before seconds: waits for this start's "watching ... workers" line
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  until (( $(ready_lines) > $1 )); do
    (( $(now_ms) < deadline )) || return 1
    service_running || return 1
    sleep 0.1
  done
}

cleanup() {
  if service_running; then kill_service; fi
  local pgdata=$work/var/pgdata
  if [[ -f $pgdata/postmaster.pid ]]; then
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [[ $(id -u) -eq 0 ]]; then
      runuser -u "$pg_user" -- "$bindir/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    else
      "$bindir/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  fi
  if [[ $keep == true ]]; then
    say "work folder kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# One new content: a generated user_traffic file of `rows` data rows, kept for later duplicates
# as contents/NUMBER.csv (the generator's seed differs per number, so every content is new).
contents=0
new_content() { # number rows
  rm -rf "$work/generated"/*
  "$binary" --generate user_traffic --rows "$2" --seed $(( seed * 100000 + $1 )) \
    --out "$work/generated" >/dev/null
  local made
  made=$(ls "$work/generated"/*.csv | head -1)
  mv "$made" "$work/contents/$1.csv"
}

dropped=0
duplicates=0
drop() { # kept-copy rows duplicate(0/1)
  dropped=$(( dropped + 1 ))
  local name
  name=user_traffic_chaos_$(printf '%05d' "$dropped").csv
  cp "$1" "$work/outside/$name"
  printf '%s\t%s\t%s\t%s\n' "$name" "$(sha256sum "$1" | cut -d' ' -f1)" "$2" "$3" >>"$manifest"
  mv "$work/outside/$name" "$imports/$name"
}

pending_files() { find "$imports" -maxdepth 1 -type f | wc -l; }

row_sizes=(1 10 100 1000 5000 20000 "$max_rows")
kept_copies=()
kept_rows=()

say "seed $seed, ${seconds}s of chaos, work folder $work"
start_service
wait_until_ready "$lines_at_start" 300 || { say "the service did not start"; keep=true; tail -40 "$work/service.log"; exit 1; }

kills=0
busy_kills=0
started_ms=$(now_ms)
end_ms=$(( started_ms + seconds * 1000 ))
next_drop=$started_ms
next_kill=$(( started_ms + 1000 + $(rand 5000) ))
while (( $(now_ms) < end_ms )); do
  now=$(now_ms)
  if (( now >= next_drop )); then
    # Keep the backlog bounded, so that the end is a check and not a long wait.
    if (( $(pending_files) < 12 )); then
      if (( ${#kept_copies[@]} > 0 && $(rand 100) < 25 )); then
        pick=$(rand ${#kept_copies[@]})
        duplicates=$(( duplicates + 1 ))
        drop "${kept_copies[$pick]}" "${kept_rows[$pick]}" 1
      else
        rows=${row_sizes[$(rand ${#row_sizes[@]})]}
        contents=$(( contents + 1 ))
        new_content "$contents" "$rows"
        copy=$work/contents/$contents.csv
        kept_copies+=("$copy")
        kept_rows+=("$rows")
        drop "$copy" "$rows" 0
        # Now and then the same new content twice at once: two workers may race for it.
        if (( $(rand 100) < 8 )); then
          duplicates=$(( duplicates + 1 ))
          drop "$copy" "$rows" 1
        fi
      fi
    fi
    next_drop=$(( now + $(rand 1500) ))
    # Often kill soon after a drop, while that file is being hashed, loaded or moved.
    if (( $(rand 100) < 40 )); then
      soon=$(( $(now_ms) + 50 + $(rand 700) ))
      (( soon >= next_kill )) || next_kill=$soon
    fi
  fi
  if (( now >= next_kill )); then
    if service_running; then
      (( $(pending_files) == 0 )) || busy_kills=$(( busy_kills + 1 ))
      kill_service
      kills=$(( kills + 1 ))
    fi
    sleep "0.$(rand 10)"
    start_service
    next_kill=$(( $(now_ms) + 300 + $(rand 8000) ))
  fi
  sleep 0.05
done

say "chaos over: $kills kills, $dropped files dropped; waiting for the backlog"
# Restart only after the last start is up (or gone): SIGTERM before the service installs its
# handler would end it by the default action, which is not what this run is about.
if ! service_running; then
  start_service
fi
wait_until_ready "$lines_at_start" 300 || true
drain_deadline=$(( $(now_ms) + 300 * 1000 ))
until (( $(pending_files) == 0 )) &&
  [[ $(sql "SELECT count(*) FROM ingest.files WHERE status = 'loading'" 2>/dev/null) == 0 ]]; do
  if (( $(now_ms) > drain_deadline )) || ! service_running; then
    break
  fi
  sleep 0.5
done
kill -TERM "$service_pid"
term_sent=$(now_ms)
exit_code=0
wait "$service_pid" || exit_code=$?
service_pid=
say "SIGTERM answered in $(( $(now_ms) - term_sent )) ms with exit code $exit_code"

if [[ $inject == true ]]; then
  say "injecting a double load: one staging row copied"
  sql "CREATE TEMP TABLE copied AS SELECT * FROM staging.user_traffic LIMIT 1;
       UPDATE copied SET line_no = line_no + 1000000000;
       INSERT INTO staging.user_traffic SELECT * FROM copied" >/dev/null
fi

# The checks.
failures=()
fail() { failures+=("$*"); say "FAIL: $*"; }
[[ $exit_code -eq 0 ]] || fail "the service exited $exit_code on SIGTERM"

left=$(find "$imports" -maxdepth 1 -type f -printf '%f\n' | sort)
[[ -z $left ]] || fail "left in imports/: $(echo "$left" | tr '\n' ' ')"
failed=$(find "$imports/.failed" -type f -printf '%f\n' 2>/dev/null | sort || true)
[[ -z $failed ]] || fail "quarantined (all files were valid): $(echo "$failed" | tr '\n' ' ')"
processed=$(find "$imports/.processed" -type f -name 'user_traffic_chaos_*.csv' 2>/dev/null | wc -l)
(( processed == dropped )) || fail "$processed of $dropped files in imports/.processed"

# Per content: one loaded row, of the expected rows, whose rows are in staging once.
sql "SELECT f.sha256, f.status, f.original_name, f.rows_loaded, f.rows_rejected,
            (SELECT count(*) FROM staging.user_traffic s WHERE s.file_id = f.file_id)
     FROM ingest.files f ORDER BY f.file_id" | tr '|' '\t' >"$work/ledger.tsv"
expected_rows=0
while IFS=$'\t' read -r sha rows; do
  expected_rows=$(( expected_rows + rows ))
  loaded=$(awk -F'\t' -v s="$sha" '$1 == s && $2 == "loaded"' "$work/ledger.tsv")
  count=$(printf '%s' "$loaded" | grep -c . || true)
  if (( count != 1 )); then
    fail "content $sha (${rows} rows): $count loaded ledger rows"
    continue
  fi
  IFS=$'\t' read -r _ _ name rows_loaded rows_rejected in_staging <<<"$loaded"
  [[ $rows_loaded == "$rows" && $rows_rejected == 0 && $in_staging == "$rows" ]] ||
    fail "$name: expected $rows rows, ledger says $rows_loaded loaded / $rows_rejected rejected, staging holds $in_staging"
done < <(awk -F'\t' '!seen[$2]++ {print $2 "\t" $3}' "$manifest")

distinct=$(awk -F'\t' '!seen[$2]++' "$manifest" | wc -l)
other_status=$(awk -F'\t' '$2 != "loaded" && $2 != "duplicate"' "$work/ledger.tsv" | wc -l)
(( other_status == 0 )) || fail "$other_status ledger rows neither loaded nor duplicate: $(awk -F'\t' '$2 != "loaded" && $2 != "duplicate" {print $3 ":" $2}' "$work/ledger.tsv" | tr '\n' ' ')"
unknown=$(awk -F'\t' 'NR == FNR {known[$2] = 1; next} !($1 in known)' "$manifest" "$work/ledger.tsv" | wc -l)
(( unknown == 0 )) || fail "$unknown ledger rows of a content that was never dropped"
# Every name that is not the loaded one of its content must be recorded as a duplicate.
duplicate_rows=$(awk -F'\t' '$2 == "duplicate"' "$work/ledger.tsv" | wc -l)
missing_duplicates=$(awk -F'\t' 'NR == FNR {recorded[$3] = 1; next} !($1 in recorded) {print $1}' \
  "$work/ledger.tsv" "$manifest" | tr '\n' ' ')
[[ -z ${missing_duplicates// /} ]] || fail "no ledger row for: $missing_duplicates"
named_twice=$(awk -F'\t' '{n[$3]++} END {for (k in n) if (n[k] > 1) c++; print c + 0}' "$work/ledger.tsv")
# For names with several rows, the statuses in ledger order (e.g. "loaded,duplicate": the file
# was loaded, then recorded again as a duplicate of itself after a restart).
patterns=$(awk -F'\t' '{s[$3] = s[$3] (s[$3] == "" ? "" : ",") $2; n[$3]++}
  END {for (k in n) if (n[k] > 1) p[s[k]]++; for (q in p) printf "%s x%d; ", q, p[q]}' "$work/ledger.tsv")
if [[ $strict_ledger == true ]] && (( named_twice > 0 )); then
  fail "$named_twice file names have more than one ledger row: $patterns"
fi
total_staging=$(sql "SELECT count(*) FROM staging.user_traffic")
orphans=$(sql "SELECT count(*) FROM staging.user_traffic s WHERE NOT EXISTS (
                 SELECT 1 FROM ingest.files f WHERE f.file_id = s.file_id AND f.status = 'loaded')")
twice=$(sql "SELECT count(*) FROM (SELECT 1 FROM staging.user_traffic GROUP BY file_id, line_no
                                    HAVING count(*) > 1) t")
(( total_staging == expected_rows )) || fail "staging holds $total_staging rows, expected $expected_rows"
(( orphans == 0 )) || fail "$orphans staging rows belong to no loaded file"
(( twice == 0 )) || fail "$twice (file_id, line_no) pairs are in staging more than once"

elapsed=$(( ($(now_ms) - started_ms) / 1000 ))
say "seed $seed: ${seconds}s of chaos (${elapsed}s with the drain), $kills kills ($busy_kills with files waiting or loading), $starts starts"
say "files: $dropped dropped ($distinct distinct contents, $duplicates exact duplicates under new names), $processed archived"
say "rows: $expected_rows expected, $total_staging in staging; ledger: $(wc -l <"$work/ledger.tsv") rows, $duplicate_rows duplicate, $named_twice names recorded more than once${patterns:+ ($patterns)}"
if (( ${#failures[@]} > 0 )); then
  keep=true
  say "${#failures[@]} checks failed"
  exit 1
fi
say "all checks passed"
