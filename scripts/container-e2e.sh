#!/usr/bin/env bash
# End-to-end test of the Docker deliverables: builds the image (Release compile inside its build
# stage), runs the docker-compose stack (PostgreSQL + app) for real with the README's commands,
# drops one sample file of every kind into ./imports, waits for the ledger, starts two more
# replicas (profile scale, --scale worker=2) and checks that 60 more files are each loaded once
# with their replica recorded and no duplicate rows, runs --pipeline and --analysis inside the
# container, checks the row counts, stops the service with SIGTERM and tears
# everything down.
#
# Runs with Debian's podman (rootful) and docker-compose v1 talking to podman's API socket, so it
# needs no Docker engine and no registry: when debian:bookworm-slim / postgres:15 are not in
# local storage it builds stand-ins from Debian packages (one mmdebstrap tree; the PostgreSQL
# stand-in is built while the app image compiles) and says so.
#
# On any failure it prints the reason, the build/service logs and the containers' logs, and
# exits non-zero. It always stops the podman API service it started and removes the stack's
# containers, volume, network and its work folder (images stay in podman's storage as a cache).
#
# Environment: CONTAINER_E2E=optional  exit 0 (with a one-line reason) when this machine cannot
#                                      run containers at all; without it that is a failure.
#              E2E_KEEP=1              keep the stack, the API service and the work folder.
#              E2E_TIMEOUT_S=300       how long to wait for the ledger.
#              E2E_BUILD_JOBS=N        compile jobs inside the image build (default: nproc).
set -Eeuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=$repo/samples
started=$(date +%s)
timeout_s=${E2E_TIMEOUT_S:-300}
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-dpe2e}

say() { echo "container-e2e: [$(($(date +%s) - started)) s] $*"; }
failure=""
fail() {
  failure=$*
  echo "container-e2e: FAIL: $*" >&2
  exit 1
}
trap 'fail "unexpected error (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
cannot_run() {
  echo "container-e2e: cannot run containers on this machine: $*" >&2
  if [[ ${CONTAINER_E2E:-} == optional ]]; then exit 0; fi
  failure="cannot run containers: $*"
  exit 1
}

# --- Tools -----------------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || cannot_run "rootful podman is needed and this is not root (uid $(id -u))"
need=()
for tool in podman docker-compose mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [[ ${#need[@]} -gt 0 ]]; then
  say "installing podman docker-compose mmdebstrap (missing: ${need[*]})"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq podman docker-compose mmdebstrap >/tmp/dp-container-e2e-apt.log 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq podman docker-compose mmdebstrap \
      >/tmp/dp-container-e2e-apt.log 2>&1; }; } || {
    tail -20 /tmp/dp-container-e2e-apt.log >&2
    rm -f /tmp/dp-container-e2e-apt.log
    cannot_run "apt-get install podman docker-compose mmdebstrap failed"
  }
  rm -f /tmp/dp-container-e2e-apt.log
  say "installed podman docker-compose mmdebstrap"
fi
unshare --user --map-root-user true 2>/dev/null ||
  cannot_run "no user namespaces (unshare --user fails; /proc/sys/user/max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null))"

work=$(mktemp -d /tmp/dp-container-e2e.XXXXXX)
project=$work/project
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
pg_build_pid=""
storage_before=$(podman ps -a --storage --format '{{.ID}}' 2>/dev/null || true)

# --- Failure report and teardown -------------------------------------------------------------
section() { echo "----- container-e2e: $* -----"; }
show_log() { # FILE TITLE [LINES]
  [[ -s $1 ]] || return 0
  section "$2 (last ${3:-40} lines of $(basename "$1"))"
  tail -n "${3:-40}" "$1"
}
diagnostics() {
  show_log "$work/mmdebstrap.log" "mmdebstrap"
  show_log "$work/postgres-build.log" "stand-in postgres:15 build"
  if [[ -s $work/build.log ]] && grep -qE 'error:|FAILED:|^E: ' "$work/build.log"; then
    section "image build: error lines (first 30)"
    grep -E 'error:|FAILED:|^E: ' "$work/build.log" | head -30
  fi
  show_log "$work/build.log" "image build (docker compose build)" 60
  show_log "$work/up.log" "docker compose up -d"
  for out in "$work"/*.out; do show_log "$out" "output"; done
  if [[ -d $project ]]; then
    section "docker compose ps"
    (cd "$project" && timeout 30 docker-compose ps 2>&1) || true
    for container in $(cd "$project" && timeout 30 docker-compose ps -q 2>/dev/null); do
      section "logs of $(timeout 10 podman inspect "$container" --format '{{.Name}}' 2>/dev/null) (last 80 lines)"
      timeout 30 podman logs --tail 80 "$container" 2>&1 || true
    done
    show_log "$project/logs/dataprocessor.log" "./logs/dataprocessor.log" 60
    if [[ -n ${pg_container:-} ]]; then
      section "ingest ledger"
      timeout 30 podman exec -e PGPASSWORD=dataprocessor "$pg_container" psql -U dataprocessor \
        -d dataprocessor -c "SELECT file_id, original_name, pipeline, status, rows_loaded,
        rows_rejected FROM ingest.files ORDER BY file_id" 2>&1 || true
    fi
  fi
  show_log "$work/podman-service.log" "podman system service" 30
}
teardown() {
  local rc=$?
  trap - ERR
  set +e
  if [[ $rc -ne 0 ]]; then
    diagnostics >&2
  fi
  if [[ ${E2E_KEEP:-} == 1 ]]; then
    say "E2E_KEEP=1: stack, $work and the podman API service (pid $service_pid, DOCKER_HOST=$DOCKER_HOST) kept"
    return
  fi
  if [[ -n $pg_build_pid ]]; then
    kill "$pg_build_pid" 2>/dev/null
    wait "$pg_build_pid" 2>/dev/null
  fi
  if [[ -d $project ]]; then
    (cd "$project" && timeout 120 docker-compose --profile bi --profile scale down -v --remove-orphans -t 10 >/dev/null 2>&1)
  fi
  # Whatever compose could not remove (e.g. the API service died): by the project's label.
  local leftover
  leftover=$(podman ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" 2>/dev/null)
  # shellcheck disable=SC2086 # one ID per word
  [[ -z $leftover ]] || podman rm -f -t 5 $leftover >/dev/null 2>&1
  podman volume rm -f "${COMPOSE_PROJECT_NAME}_pgdata" >/dev/null 2>&1
  podman network rm -f "${COMPOSE_PROJECT_NAME}_default" >/dev/null 2>&1
  kill "$service_pid" 2>/dev/null
  wait "$service_pid" 2>/dev/null
  # A build stopped half-way leaves buildah working containers (status "Storage") behind.
  local id
  for id in $(podman ps -a --storage --format '{{.ID}} {{.Status}}' 2>/dev/null | awk '$2 == "Storage" {print $1}'); do
    grep -qx "$id" <<<"$storage_before" || podman rm -f --storage "$id" >/dev/null 2>&1
  done
  rm -rf "$work"
  if [[ $rc -eq 0 ]]; then
    say "finished in $(($(date +%s) - started)) s (exit 0)"
  else
    echo "container-e2e: FAILED after $(($(date +%s) - started)) s (exit $rc): ${failure:-see above}" >&2
  fi
}
trap teardown EXIT

for _ in $(seq 50); do [[ -S $socket ]] && break; sleep 0.2; done
[[ -S $socket ]] || fail "podman system service did not create $socket"

# --- Base images -----------------------------------------------------------------------------
# One mmdebstrap tree serves both stand-ins: it becomes debian:bookworm-slim, and the postgres:15
# stand-in is built FROM it in the background while the app image compiles.
if ! podman image exists docker.io/library/debian:bookworm-slim; then
  if timeout 20 podman pull -q docker.io/library/debian:bookworm-slim >/dev/null 2>&1; then
    say "pulled debian:bookworm-slim"
  else
    say "debian:bookworm-slim cannot be pulled: building a STAND-IN from Debian packages (mmdebstrap --variant=minbase bookworm)"
    step=$(date +%s)
    # mmdebstrap rather than debootstrap: apt fetches the packages (debootstrap one at a time);
    # measured 94 s against 261 s here. It writes a tarball and leaves no apt lists in it.
    mmdebstrap --variant=minbase bookworm "$work/base.tar" http://deb.debian.org/debian \
      >"$work/mmdebstrap.log" 2>&1 || fail "mmdebstrap failed"
    podman import -q "$work/base.tar" docker.io/library/debian:bookworm-slim >/dev/null ||
      fail "podman import of the mmdebstrap tarball failed"
    rm -f "$work/base.tar" "$work/mmdebstrap.log"
    say "stand-in debian:bookworm-slim ready in $(($(date +%s) - step)) s"
  fi
fi
podman run --rm --network none docker.io/library/debian:bookworm-slim true >/dev/null 2>&1 ||
  cannot_run "podman run fails: $(podman run --rm --network none docker.io/library/debian:bookworm-slim true 2>&1 | tail -1)"
if ! podman image exists docker.io/library/postgres:15; then
  if timeout 20 podman pull -q docker.io/library/postgres:15 >/dev/null 2>&1; then
    say "pulled postgres:15"
  else
    say "postgres:15 cannot be pulled: building a STAND-IN (Debian's postgresql-15) in the background"
    pg_build_started=$(date +%s)
    podman build -q -f "$repo/docker/postgres-standin.Dockerfile" \
      -t docker.io/library/postgres:15 "$repo/docker" >"$work/postgres-build.log" 2>&1 &
    pg_build_pid=$!
  fi
fi

# --- Project folder: what a user has after cloning -------------------------------------------
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
docker-compose config -q || fail "docker-compose config -q rejects docker-compose.yaml"
# grep without -q reads every line: with -q it may exit at the match, and under pipefail the
# writer's SIGPIPE would fail the check (it did, for worker, which is not the last service).
docker-compose --profile bi config --services | grep -x metabase >/dev/null ||
  fail "docker-compose --profile bi config has no metabase service"
docker-compose --profile scale config --services | grep -x worker >/dev/null ||
  fail "docker-compose --profile scale config has no worker service"
say "docker-compose config -q: docker-compose.yaml is valid (profile bi adds metabase)"

old_image=$(podman image inspect dataprocessor:latest --format '{{.Id}}' 2>/dev/null || true)
say "docker compose build (multi-stage: Release compile of dataprocessor in the build stage)"
step=$(date +%s)
docker-compose build --build-arg BUILD_JOBS="${E2E_BUILD_JOBS:-$(nproc)}" app >"$work/build.log" 2>&1 ||
  fail "docker compose build failed"
rm -f "$work/build.log" # the logs of finished steps are not shown on a later failure
image_size=$(podman image inspect dataprocessor:latest --format '{{.Size}}' | awk '{printf "%.1f MB", $1/1e6}')
say "image dataprocessor:latest built in $(($(date +%s) - step)) s; size $image_size"
new_image=$(podman image inspect dataprocessor:latest --format '{{.Id}}')
if [[ -n $old_image && $old_image != "$new_image" ]]; then
  podman rmi "$old_image" >/dev/null 2>&1 || true # the superseded image of an earlier run
fi

if [[ -n $pg_build_pid ]]; then
  wait "$pg_build_pid" || fail "stand-in postgres:15 build failed"
  pg_build_pid=""
  rm -f "$work/postgres-build.log"
  say "stand-in postgres:15 built in $(($(date +%s) - pg_build_started)) s (elapsed, overlapped with the app build)"
fi

step=$(date +%s)
# podman does not schedule health checks (no systemd) and docker-compose v1 waits for postgres to
# be healthy before it starts app: start postgres first and run its health check here.
docker-compose up -d postgres >"$work/up.log" 2>&1 || fail "docker compose up -d postgres failed"
pg_container=$(docker-compose ps -q postgres)
for _ in $(seq 60); do
  podman healthcheck run "$pg_container" >/dev/null 2>&1 && break
  sleep 1
done
podman healthcheck run "$pg_container" >/dev/null 2>&1 || fail "postgres never became healthy"
say "postgres healthy"

docker-compose up -d >>"$work/up.log" 2>&1 || fail "docker compose up -d failed"
[[ $(podman inspect app --format '{{.State.Running}}') == true ]] || fail "container app is not running"
say "docker compose up -d: postgres and app running ($(($(date +%s) - step)) s)"

psql_q() {
  docker exec -e PGPASSWORD=dataprocessor "$pg_container" \
    psql -U dataprocessor -d dataprocessor -v ON_ERROR_STOP=1 -Atc "$1"
}

# --- Drop one file of every kind -------------------------------------------------------------
step=$(date +%s)
desk=$data/support_desk
files=(
  "$data/job_titles/2019_free_title_data.csv"
  "$data/habits/habit_records_sample.csv"
  "$desk/analysts_2010.csv" "$desk/by_year/cases_2011.csv" "$desk/by_year/logs_2011.csv"
  "$desk/products.csv" "$desk/PrioritySLA.csv" "$desk/calendar.csv"
)
for file in "${files[@]}"; do
  [[ -f $file ]] || fail "sample file $file is missing"
  as_user cp "$file" imports/
done
# Copied into the container instead of the host folder.
docker cp "$data/course_traffic/traffic_sources.csv" app:/app/imports/ ||
  fail "docker cp traffic_sources.csv app:/app/imports failed"
# Renamed into place from .part (the service must ignore the .part name).
as_user cp "$data/course_traffic/marketing_data_with_days.csv" imports/marketing_data_with_days.csv.part
sleep 2
as_user mv imports/marketing_data_with_days.csv.part imports/marketing_data_with_days.csv
# Written slowly through one open descriptor: 4 chunks, 1.5 s apart (longer than SETTLE_MS).
slow=$data/course_traffic/user_traffic.csv
lines=$(wc -l <"$slow")
as_user bash -c "{ for part in 0 1 2 3; do
    sed -n \"\$((part * ($lines / 4 + 1) + 1)),\$(((part + 1) * ($lines / 4 + 1)))p\" '$slow'
    sleep 1.5; done; } > imports/user_traffic.csv"
expected_files=11
say "dropped $expected_files files (one with docker cp, one written slowly, one renamed from .part)"

# --- Wait for the ledger ---------------------------------------------------------------------
deadline=$(($(date +%s) + timeout_s))
while :; do
  counts=$(psql_q "SELECT count(*) FILTER (WHERE status = 'loaded') || ' ' ||
                          count(*) FILTER (WHERE status = 'failed') FROM ingest.files" 2>/dev/null ||
    echo "0 0")
  read -r loaded failed <<<"$counts"
  [[ $loaded -ge $expected_files || $failed -gt 0 ]] && break
  (($(date +%s) < deadline)) || break
  sleep 1
done
psql_q "SELECT original_name, pipeline, status, rows_loaded, rows_rejected FROM ingest.files
        ORDER BY file_id" | sed 's/^/  ledger: /'
[[ $failed -eq 0 ]] || fail "$failed file(s) failed to load"
[[ $loaded -eq $expected_files ]] || fail "ledger shows $loaded of $expected_files files loaded after ${timeout_s}s"
say "ledger: $loaded files loaded ($(($(date +%s) - step)) s after the first drop)"
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

# --- Health and status -----------------------------------------------------------------------
docker exec app dataprocessor --health >"$work/health.out" 2>&1 || fail "docker exec app dataprocessor --health exit $?"
podman healthcheck run app >/dev/null || fail "podman healthcheck run app: unhealthy"
say "app healthy (HEALTHCHECK dataprocessor --health)"
docker exec app dataprocessor --status >"$work/status.out" 2>&1 || fail "docker exec app dataprocessor --status exit $?"
say "docker exec app dataprocessor --status: exit 0"

# --- Replicas: profile scale, two workers beside app on the same imports/ and database -------
step=$(date +%s)
docker-compose --profile scale up -d --scale worker=2 >>"$work/up.log" 2>&1 ||
  fail "docker compose --profile scale up -d --scale worker=2 failed"
workers=$(docker-compose --profile scale ps -q worker | wc -l)
[[ $workers -eq 2 ]] || fail "$workers worker containers, expected 2"
replicas_up=0
for _ in $(seq 60); do
  replicas_up=$(psql_q "SELECT count(*) FROM ingest.replicas
                        WHERE stopped_at IS NULL AND last_seen > now() - interval '1 minute'")
  [[ $replicas_up -ge 3 ]] && break
  sleep 1
done
[[ $replicas_up -ge 3 ]] || fail "ingest.replicas shows $replicas_up live replicas, expected 3 (app + 2 workers)"
say "docker compose --profile scale up -d --scale worker=2: 3 replicas report in ingest.replicas ($(($(date +%s) - step)) s)"
replica_files=60
replica_rows=30000
# Big enough (30,000 rows each) that app, which inotify tells at once, cannot load them all
# before the polling workers' next scan; every file has rows of its own (distinct content).
# Written outside imports/, then renamed in one after the other, as a careful producer does.
gen=$work/replica-files
mkdir -p "$gen"
for i in $(seq 1 "$replica_files"); do
  awk -v i="$i" -v n="$replica_rows" 'BEGIN { print "user_id,source_id,referred_at,campaign_code"
    for (j = 1; j <= n; j++) printf "%d,%d,2024-01-01T00:00:00Z,c1\n", 10000000 + i * 100000 + j, j % 10 + 1 }' \
    >"$gen/user_traffic_replica_$i.csv"
done
chown -R "$app_uid:$app_uid" "$gen"
mv "$gen"/user_traffic_replica_*.csv imports/
deadline=$(($(date +%s) + timeout_s))
while :; do
  decided=$(psql_q "SELECT count(*) FROM ingest.files WHERE original_name LIKE 'user\_traffic\_replica\_%'")
  [[ $decided -ge $replica_files ]] && break
  (($(date +%s) < deadline)) || break
  sleep 1
done
psql_q "SELECT coalesce(replica_id, '(none)') || ': ' || count(*) || ' file(s)' FROM ingest.files
        WHERE original_name LIKE 'user\_traffic\_replica\_%' GROUP BY replica_id ORDER BY replica_id" |
  sed 's/^/  loaded by /'
read -r loaded_once names without_replica replicas_used duplicates <<<"$(psql_q "
  SELECT count(*) FILTER (WHERE status = 'loaded' AND original_name LIKE 'user\_traffic\_replica\_%') || ' ' ||
         count(DISTINCT original_name) FILTER (WHERE original_name LIKE 'user\_traffic\_replica\_%') || ' ' ||
         count(*) FILTER (WHERE replica_id IS NULL AND original_name LIKE 'user\_traffic\_replica\_%') || ' ' ||
         count(DISTINCT replica_id) FILTER (WHERE original_name LIKE 'user\_traffic\_replica\_%') || ' ' ||
         count(*) FILTER (WHERE status = 'duplicate')
  FROM ingest.files")"
[[ $loaded_once -eq $replica_files && $names -eq $replica_files ]] ||
  fail "ledger: $loaded_once loaded rows for $names names, expected $replica_files of each (every file once)"
[[ $duplicates -eq 0 ]] || fail "ledger: $duplicates duplicate rows, expected none"
[[ $without_replica -eq 0 ]] || fail "ledger: $without_replica rows without a replica id"
[[ $replicas_used -ge 2 ]] || fail "ledger: only $replicas_used replica(s) loaded the $replica_files files"
for _ in $(seq 20); do
  left=$(find imports -maxdepth 1 -type f | wc -l)
  [[ $left -eq 0 ]] && break
  sleep 1
done
[[ $left -eq 0 ]] || fail "$left file(s) left in imports/"
say "replicas: $replica_files files loaded once each by $replicas_used replicas, 0 duplicate rows, imports/ empty"
docker exec app dataprocessor --status >"$work/status.out" 2>&1 || fail "docker exec app dataprocessor --status exit $?"
listed=$(grep -c 'files read, holds' "$work/status.out" || true)
[[ $listed -ge 3 ]] || fail "--status lists $listed replicas, expected 3"
step=$(date +%s)
docker-compose --profile scale stop worker >"$work/stop-workers.out" 2>&1 || fail "docker compose stop worker failed"
for container in $(docker-compose --profile scale ps -q worker); do
  code=$(podman inspect "$container" --format '{{.State.ExitCode}}')
  [[ $code -eq 0 ]] || fail "worker $container exited $code on SIGTERM"
done
say "--status lists the $listed replicas; workers exited 0 on SIGTERM ($(($(date +%s) - step)) s)"

# --- Pipeline and analysis -------------------------------------------------------------------
step=$(date +%s)
docker exec app dataprocessor --pipeline >"$work/pipeline.out" 2>&1 ||
  fail "docker exec app dataprocessor --pipeline exit $?"
say "docker exec app dataprocessor --pipeline: exit 0 ($(($(date +%s) - step)) s)"
facts=$(psql_q "SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'datawarehouse' AND table_name LIKE 'fact\\_%'")
[[ -n $facts ]] || fail "no fact tables in schema datawarehouse after --pipeline"
for table in $facts; do
  rows=$(psql_q "SELECT count(*) FROM datawarehouse.$table")
  [[ $rows -gt 0 ]] || fail "datawarehouse.$table is empty after --pipeline"
  say "  datawarehouse.$table: $rows rows"
done
say "warehouse: every fact table has rows"
step=$(date +%s)
docker exec app dataprocessor --analysis >"$work/analysis.out" 2>&1 ||
  fail "docker exec app dataprocessor --analysis exit $?"
say "docker exec app dataprocessor --analysis: exit 0 ($(($(date +%s) - step)) s)"
[[ -s exports/analysis/report.html ]] || fail "exports/analysis/report.html missing on the host"
say "host ./exports/analysis/report.html exists ($(stat -c %s exports/analysis/report.html) bytes)"

# --- SIGTERM stops the service cleanly -------------------------------------------------------
step=$(date +%s)
docker-compose stop >"$work/stop.out" 2>&1 || fail "docker compose stop failed"
exit_code=$(podman inspect app --format '{{.State.ExitCode}}')
[[ $exit_code -eq 0 ]] || fail "app exited $exit_code on SIGTERM (docker compose stop)"
say "docker compose stop: app exited 0 on SIGTERM ($(($(date +%s) - step)) s)"
docker-compose --profile scale down -v >"$work/down.out" 2>&1 || fail "docker compose down -v failed"
say "PASS"
