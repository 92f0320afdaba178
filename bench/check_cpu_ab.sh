#!/usr/bin/env bash
# CPU time (user + sys) of `dataprocessor --check` over one file, two binaries alternating: the
# per-row work (read, convert, encode binary COPY) without the server's COPY, as a before/after
# comparison that a busy machine disturbs far less than wall time. See bench/README.md.
#   bench/check_cpu_ab.sh --db CONNINFO --before BIN --after BIN --file CSV [--rounds N]
#     [--sql-dir DIR]
# CONNINFO names a server the script may create and drop the databases cpu_before and
# cpu_after on (connect to its postgres database). Prints one line per run and the medians.
set -euo pipefail
ROUNDS=5
SQL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/sql"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    --file) FILE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --sql-dir) SQL_DIR=$2; shift 2 ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
  esac
done
[[ -n "${DB:-}" && -x "${BEFORE:-}" && -x "${AFTER:-}" && -f "${FILE:-}" ]] || { sed -n '2,9p' "$0" >&2; exit 2; }
declare -A BIN=([before]=$BEFORE [after]=$AFTER)
declare -A TIMES=([before]="" [after]="")
for which in before after; do
  psql -X -q "$DB dbname=postgres" -c "DROP DATABASE IF EXISTS cpu_$which" \
    -c "CREATE DATABASE cpu_$which" >/dev/null
  DB_STRING="$DB dbname=cpu_$which" "${BIN[$which]}" --init-db --set http_port=0 \
    --set sql_dir="$SQL_DIR" >/dev/null 2>&1
done
timing=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  for which in before after; do
    /usr/bin/time -f "%U %S %e" -o "$timing" env DB_STRING="$DB dbname=cpu_$which" \
      "${BIN[$which]}" --check "$FILE" --set http_port=0 --set sql_dir="$SQL_DIR" >/dev/null 2>&1
    read -r user sys wall < "$timing"
    cpu=$(echo "$user + $sys" | bc)
    TIMES[$which]+="$cpu "
    echo "round $round $which: cpu ${cpu}s wall ${wall}s load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
rm -f "$timing"
for which in before after; do
  median=$(echo "${TIMES[$which]}" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "median cpu $which: ${median}s"
  psql -X -q "$DB dbname=postgres" -c "DROP DATABASE cpu_$which" >/dev/null
done
