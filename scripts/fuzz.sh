#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz (clang-14, AddressSanitizer + UBSan) in their own
# build folder, each for SECONDS, starting from its corpus in tests/data/fuzz/<target>/, and
# prints the executions per target.
#
#   scripts/fuzz.sh SECONDS [TARGET...]   fuzz each target (all when none is named)
#   scripts/fuzz.sh --merge [TARGET...]   minimise what the runs found into the corpus kept in
#                                         tests/data/fuzz/<target>/corpus (libFuzzer -merge=1)
#   scripts/fuzz.sh --seed                write seed inputs made from tests/data and samples/
#                                         into the working corpora (then run, then --merge)
#
# New inputs go to build-fuzz/corpus/<target> (not tracked); a crash is written to
# tests/data/fuzz/<target>/crashes/ so that it is kept, replayed by ctest in the regular build
# (fuzz_corpus_replay_<target>) and fixed. Environment: DP_FUZZ_BUILD_DIR (default build-fuzz),
# DP_FUZZ_CXX (default clang++-14), DP_FUZZ_JOBS (build parallelism, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${DP_FUZZ_BUILD_DIR:-$root/build-fuzz}
cxx=${DP_FUZZ_CXX:-clang++-14}
all_targets=(csv_reader value_converters kind_converters gzip_source)

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

# Seeds: each fuzz input starts with one configuration byte (tests/fuzz/*_fuzz.cpp say what
# it selects); 0 means the defaults, so a seed is 0 followed by the first 4 KiB of a real file.
seed_corpora() {
  local dir n=0 file kind
  mapfile -t files < <(find tests/data samples -type f \( -name '*.csv' -o -name '*.tsv' \
    -o -name '*.txt' \) | sort)
  dir=$build/corpus/csv_reader
  mkdir -p "$dir"
  for file in "${files[@]}"; do
    n=$((n + 1))
    { printf '\x00'; head -c 4096 "$file"; } >"$dir/seed-$n"
    { printf '\x21'; head -c 4096 "$file"; } >"$dir/seed-$n-chunk"
  done
  dir=$build/corpus/gzip_source
  mkdir -p "$dir"
  for file in tests/data/analyst_snapshots/*.gz "${files[@]:0:8}"; do
    n=$((n + 1))
    { printf '\x00'; head -c 4096 "$file"; } >"$dir/seed-$n"
    { printf '\xc5'; head -c 2048 "$file" | gzip -c; } >"$dir/seed-$n-gz"
  done
  dir=$build/corpus/kind_converters
  mkdir -p "$dir"
  for file in $(find samples tests/data/csv tests/data/user_traffic -name '*.csv' | sort); do
    for kind in $(seq 0 10); do
      n=$((n + 1))
      { printf "\\x$(printf %02x "$kind")"; head -c 4096 "$file"; } >"$dir/seed-$n"
      { printf "\\x$(printf %02x $((kind + 128)))"; { tail -n +2 "$file" | head -c 2048 || true; }; } \
        >"$dir/seed-$n-rows"
    done
  done
  dir=$build/corpus/value_converters
  mkdir -p "$dir"
  local values=("" "0" "-0" "+17" " 42 " "-9223372036854775808" "9223372036854775807"
    "9223372036854775808" "2147483648" "12.50" "-0.005" ".5" "5." "1e3" "true" "OFF" "y"
    "2024-02-29" "2023-02-29" "0001-01-01" "9999-12-31" "2024-07-30T23:27:05Z"
    "2024-07-30 23:27:05.123456+02:00" "2024-07-30T23:27-0530" "9999-12-31T23:59:59.999999-15:59"
    "1717171717" "-62135596800" "253402300799.999999" $'caf\xc3\xa9' $'\xff\xfe' $'a\x00b')
  local config value
  for value in "${values[@]}"; do
    for config in 00 01 02 13 24 35 06 17 28; do
      n=$((n + 1))
      { printf "\\x$config"; printf '%s' "$value"; } >"$dir/seed-$n"
    done
  done
  echo "seeds written to $build/corpus/*/"
}

[[ $# -ge 1 ]] || usage
mode=run
seconds=0
if [[ $1 == --seed ]]; then
  seed_corpora
  exit 0
elif [[ $1 == --merge ]]; then
  mode=merge
elif [[ $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
else
  usage
fi
shift
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")

if ! command -v "$cxx" >/dev/null; then
  echo "fuzz.sh: $cxx not found; install it with: apt-get install -y clang-14 libclang-rt-14-dev" >&2
  exit 2
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DDP_FUZZ=ON -DDP_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j "${DP_FUZZ_JOBS:-2}" --target "${targets[@]/#/dp_fuzz_}"

# ASan's leak check stays on; UBSan stops at the first report (the build also says so). Short
# allocation stacks: recording 30 frames per malloc cost a tenth of the CSV target's time.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:malloc_context_size=8}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# Longest input per target: long enough for every path (records past the small limits the CSV
# target selects, several rows per kind), short enough to keep executions fast.
max_len_of() {
  case $1 in
    csv_reader) echo 512 ;;
    value_converters) echo 256 ;;
    kind_converters) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

summary=()
status=0
for target in "${targets[@]}"; do
  kept=$root/tests/data/fuzz/$target
  work=$build/corpus/$target
  mkdir -p "$kept/corpus" "$kept/crashes" "$kept/regressions" "$work"
  binary=$build/fuzz/dp_fuzz_$target
  if [[ $mode == merge ]]; then
    merged=$build/merged/$target
    snapshot=$build/snapshot/$target
    # A snapshot, because a fuzzer still running on the working corpus replaces files in it.
    rm -rf "$merged" "$snapshot" && mkdir -p "$merged" "$(dirname "$snapshot")"
    cp -r "$work" "$snapshot" 2>/dev/null || true
    "$binary" -merge=1 "$merged" "$kept/corpus" "$snapshot" 2>"$build/$target-merge.log"
    rm -f "$kept/corpus"/* && cp "$merged"/* "$kept/corpus"/ 2>/dev/null || true
    summary+=("$target: $(ls "$kept/corpus" | wc -l) inputs kept in tests/data/fuzz/$target/corpus")
    continue
  fi
  log=$build/$target.log
  echo "fuzzing $target for ${seconds}s (log: $log)"
  if "$binary" -max_total_time="$seconds" -max_len="$(max_len_of "$target")" \
    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$kept/crashes/" "$work" "$kept/corpus" "$kept/crashes" "$kept/regressions" \
    >"$log" 2>&1; then
    result=ok
  else
    result="CRASH (see $log and $kept/crashes/)"
    status=1
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary+=("$target: ${executions:-?} executions in ${seconds}s, $result")
done
printf '%s\n' "${summary[@]}"
exit $status
