#!/usr/bin/env bash
# End-to-end test of the Docker deliverables: builds the image, runs the docker-compose stack
# (PostgreSQL + app) for real, drops one sample file of every kind into ./imports, waits for the
# ledger, runs --pipeline and --analysis inside the container, checks the row counts, stops the
# service with SIGTERM and tears everything down.
#
# Runs with Debian's podman (rootful) and docker-compose v1 talking to podman's API socket, so it
# needs no Docker engine and no registry: when debian:bookworm-slim / postgres:15 are not in
# local storage it builds stand-ins from Debian packages (debootstrap) and says so.
#
# Environment: CONTAINER_E2E=optional  exit 0 (with a one-line reason) when this machine cannot
#                                      run containers at all; without it that is a failure.
#              E2E_KEEP=1              keep the stack and the work folder for inspection.
#              E2E_TIMEOUT_S=300       how long to wait for the ledger.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${DP_SAMPLE_DATA:-$repo/../shared/data}
[[ -d $data ]] || data=/work/shared/data
started=$(date +%s)
timeout_s=${E2E_TIMEOUT_S:-300}
export COMPOSE_PROJECT_NAME=dpe2e

say() { echo "container-e2e: $*"; }
fail() {
  echo "container-e2e: FAIL: $*" >&2
  exit 1
}
cannot_run() {
  echo "container-e2e: cannot run containers on this machine: $*" >&2
  if [[ ${CONTAINER_E2E:-} == optional ]]; then exit 0; fi
  exit 1
}

# --- Tools -----------------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || cannot_run "rootful podman is needed and this is not root (uid $(id -u))"
need=()
for tool in podman docker-compose debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [[ ${#need[@]} -gt 0 ]]; then
  say "installing podman docker-compose debootstrap (missing: ${need[*]})"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman docker-compose debootstrap \
    >/dev/null 2>&1 || cannot_run "apt-get install podman docker-compose debootstrap failed"
fi
unshare --user --map-root-user true 2>/dev/null ||
  cannot_run "no user namespaces (unshare --user fails; /proc/sys/user/max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null))"

work=$(mktemp -d /tmp/dp-container-e2e.XXXXXX)
conf=$work/containers.conf
cat >"$conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$conf

# docker CLI where installed, else podman's docker-compatible CLI.
if command -v docker >/dev/null 2>&1; then docker_cli=docker; else docker_cli=podman; fi
docker() { command "$docker_cli" "$@"; }

socket=$work/podman.sock
podman system service --time=0 "unix://$socket" >"$work/podman-service.log" 2>&1 &
service_pid=$!
export DOCKER_HOST=unix://$socket

teardown() {
  local rc=$?
  if [[ ${E2E_KEEP:-} == 1 ]]; then
    say "E2E_KEEP=1: stack and $work kept"
    return
  fi
  (cd "$work/project" 2>/dev/null && docker-compose down -v --remove-orphans >/dev/null 2>&1) || true
  kill "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  rm -rf "$work"
  say "finished in $(($(date +%s) - started)) s (exit $rc)"
}
trap teardown EXIT

for _ in $(seq 50); do [[ -S $socket ]] && break; sleep 0.2; done
[[ -S $socket ]] || fail "podman system service did not create $socket"

# --- Base images -----------------------------------------------------------------------------
base_rootfs() {
  if [[ ! -d $work/rootfs ]]; then
    say "debootstrap --variant=minbase bookworm (about 30 s)"
    debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian \
      >"$work/debootstrap.log" 2>&1 || fail "debootstrap failed (see $work/debootstrap.log)"
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  fi
}
if ! podman image exists docker.io/library/debian:bookworm-slim; then
  if timeout 20 podman pull -q docker.io/library/debian:bookworm-slim >/dev/null 2>&1; then
    say "pulled debian:bookworm-slim"
  else
    say "debian:bookworm-slim cannot be pulled: building a STAND-IN from Debian packages"
    base_rootfs
    tar -C "$work/rootfs" -c . | podman import -q - docker.io/library/debian:bookworm-slim >/dev/null
  fi
fi
if ! podman image exists docker.io/library/postgres:15; then
  if timeout 20 podman pull -q docker.io/library/postgres:15 >/dev/null 2>&1; then
    say "pulled postgres:15"
  else
    say "postgres:15 cannot be pulled: building a STAND-IN (Debian's postgresql-15)"
    podman build -q -f "$repo/docker/postgres-standin.Dockerfile" \
      -t docker.io/library/postgres:15 "$repo" >"$work/postgres-build.log" 2>&1 ||
      fail "stand-in postgres:15 build failed (see $work/postgres-build.log)"
  fi
fi
podman run --rm --network none docker.io/library/debian:bookworm-slim true >/dev/null 2>&1 ||
  cannot_run "podman run fails: $(podman run --rm --network none docker.io/library/debian:bookworm-slim true 2>&1 | tail -1)"

# --- Project folder: what a user has after cloning -------------------------------------------
project=$work/project
mkdir -p "$project"
tar -C "$repo" -c Dockerfile .dockerignore docker-compose.yaml .env.example CMakeLists.txt \
  core models pipelines cmd sql | tar -C "$project" -x
cd "$project"
# The bind-mounted folders belong to the user's account (uid 1000 when this runs as root).
app_uid=1000
export APP_UID=$app_uid APP_GID=$app_uid
as_user() { setpriv --reuid="$app_uid" --regid="$app_uid" --clear-groups "$@"; }
mkdir -p imports exports logs
chown "$app_uid:$app_uid" imports exports logs

# --- The README's commands -------------------------------------------------------------------
cp .env.example .env
docker-compose -f docker-compose.yaml config -q || fail "docker-compose config -q rejects docker-compose.yaml"
say "docker-compose config -q: docker-compose.yaml is valid"
say "docker compose build (Release build of dataprocessor inside the image)"
build_started=$(date +%s)
docker-compose build app >"$work/build.log" 2>&1 || {
  tail -30 "$work/build.log" >&2
  fail "image build failed"
}
say "image built in $(($(date +%s) - build_started)) s; size $(podman image inspect dataprocessor:latest --format '{{.Size}}' | awk '{printf "%.1f MB", $1/1e6}')"

docker-compose up -d postgres >/dev/null 2>&1 || fail "docker compose up postgres failed"
pg_container=$(docker-compose ps -q postgres)
# Health checks are not scheduled without systemd: run them here until postgres is healthy.
for _ in $(seq 60); do
  podman healthcheck run "$pg_container" >/dev/null 2>&1 && break
  sleep 1
done
podman healthcheck run "$pg_container" >/dev/null 2>&1 || fail "postgres never became healthy"
say "postgres healthy"

docker-compose up -d >"$work/up.log" 2>&1 || {
  cat "$work/up.log" >&2
  fail "docker compose up -d failed"
}
[[ $(podman inspect app --format '{{.State.Running}}') == true ]] || {
  podman logs app >&2 || true
  fail "container app is not running"
}
say "stack up: postgres, app"

psql_q() {
  docker exec -e PGPASSWORD=dataprocessor "$pg_container" \
    psql -U dataprocessor -d dataprocessor -v ON_ERROR_STOP=1 -Atc "$1"
}

# --- Drop one file of every kind -------------------------------------------------------------
seeds=$data/seeds
etl=$seeds/Mini-ETL-Tool/data
files=(
  "$seeds/DataProcessor/2019_free_title_data.csv"
  "$data/course_traffic/traffic_sources.csv"
  "$data/habits/habit_records_sample.csv"
  "$etl/analysts_2010.csv" "$etl/cases_2011.csv" "$etl/logs_2011.csv"
  "$etl/products.csv" "$etl/PrioritySLA.csv" "$etl/calendar.csv"
)
for file in "${files[@]}"; do
  as_user cp "$file" imports/
done
# Renamed into place from .part (the service must ignore the .part name).
as_user cp "$seeds/BI_project.v2/marketing_data_with_days.csv" imports/marketing_data_with_days.csv.part
sleep 2
as_user mv imports/marketing_data_with_days.csv.part imports/marketing_data_with_days.csv
# Written slowly through one open descriptor: 4 chunks, 1.5 s apart (longer than SETTLE_MS).
slow=$seeds/BI_project.v2/user_traffic.csv
lines=$(wc -l <"$slow")
as_user bash -c "{ for part in 0 1 2 3; do
    sed -n \"\$((part * ($lines / 4 + 1) + 1)),\$(((part + 1) * ($lines / 4 + 1)))p\" '$slow'
    sleep 1.5; done; } > imports/user_traffic.csv"
expected_files=11
say "dropped $expected_files files into ./imports (one slow, one renamed from .part)"

# --- Wait for the ledger ---------------------------------------------------------------------
deadline=$(($(date +%s) + timeout_s))
while :; do
  counts=$(psql_q "SELECT count(*) FILTER (WHERE status = 'loaded') || ' ' ||
                          count(*) FILTER (WHERE status = 'failed') FROM ingest.files" 2>/dev/null ||
    echo "0 0")
  read -r loaded failed <<<"$counts"
  [[ $loaded -ge $expected_files || $failed -gt 0 ]] && break
  (($(date +%s) < deadline)) || break
  sleep 2
done
psql_q "SELECT original_name, pipeline, status, rows_loaded, rows_rejected FROM ingest.files
        ORDER BY file_id" | sed 's/^/  ledger: /'
[[ $failed -eq 0 ]] || fail "$failed file(s) failed to load"
[[ $loaded -eq $expected_files ]] || fail "ledger shows $loaded of $expected_files files loaded after ${timeout_s}s"
say "ledger: $loaded files loaded"
processed=$(find imports/.processed -type f 2>/dev/null | wc -l)
[[ $processed -eq $expected_files ]] || fail "imports/.processed holds $processed files, expected $expected_files"
say "host ./imports/.processed holds all $processed files (bind mount owned by uid $app_uid)"

# --- Staging row counts (from docs/file-kinds.md) --------------------------------------------
declare -A expected_rows=(
  [user_traffic]=1001 [marketing_daily]=10000 [traffic_sources]=10 [title_data]=5000
  [habit_records]=40 [analyst_snapshots]=200 [cases]=100 [case_logs]=815 [products]=1502
  [priority_sla]=3 [calendar]=4019
)
for table in "${!expected_rows[@]}"; do
  rows=$(psql_q "SELECT count(*) FROM staging.$table")
  [[ $rows -eq ${expected_rows[$table]} ]] ||
    fail "staging.$table has $rows rows, expected ${expected_rows[$table]}"
done
say "staging row counts match for all ${#expected_rows[@]} tables"

# --- Health ----------------------------------------------------------------------------------
not_built() { grep -q "is not built yet in this version" "$1"; }
set +e
docker exec app dataprocessor --health >"$work/health.out" 2>&1
health_rc=$?
set -e
if [[ $health_rc -eq 2 ]] && not_built "$work/health.out"; then
  say "SKIP health check: dataprocessor --health is not built yet in this build"
else
  [[ $health_rc -eq 0 ]] || { cat "$work/health.out" >&2; fail "dataprocessor --health exit $health_rc"; }
  podman healthcheck run app >/dev/null || fail "podman healthcheck run app: unhealthy"
  say "app healthy (HEALTHCHECK dataprocessor --health)"
fi

# --- Pipeline and analysis -------------------------------------------------------------------
run_mode() {
  local mode=$1 rc
  set +e
  docker exec app dataprocessor "--$mode" >"$work/$mode.out" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 2 ]] && not_built "$work/$mode.out"; then
    say "SKIP --$mode: not built yet in this build (exit 2); its checks are skipped"
    return 1
  fi
  [[ $rc -eq 0 ]] || { tail -20 "$work/$mode.out" >&2; fail "docker exec app dataprocessor --$mode exit $rc"; }
  say "docker exec app dataprocessor --$mode: exit 0"
}
if run_mode pipeline; then
  facts=$(psql_q "SELECT table_name FROM information_schema.tables
                  WHERE table_schema = 'datawarehouse' AND table_name LIKE 'fact\\_%'")
  [[ -n $facts ]] || fail "no fact tables in schema datawarehouse after --pipeline"
  for table in $facts; do
    rows=$(psql_q "SELECT count(*) FROM datawarehouse.$table")
    [[ $rows -gt 0 ]] || fail "datawarehouse.$table is empty after --pipeline"
    say "  datawarehouse.$table: $rows rows"
  done
  say "warehouse: every fact table has rows"
fi
if run_mode analysis; then
  [[ -s exports/analysis/report.html ]] || fail "exports/analysis/report.html missing on the host"
  say "host ./exports/analysis/report.html exists ($(stat -c %s exports/analysis/report.html) bytes)"
fi

# --- SIGTERM stops the service cleanly -------------------------------------------------------
docker-compose stop app >/dev/null 2>&1 || fail "docker compose stop app failed"
exit_code=$(podman inspect app --format '{{.State.ExitCode}}')
[[ $exit_code -eq 0 ]] || { podman logs --tail 20 app >&2; fail "app exited $exit_code on SIGTERM"; }
say "docker compose stop: app exited 0 on SIGTERM"
docker-compose down -v >/dev/null 2>&1 || fail "docker compose down -v failed"
say "PASS"
