#!/usr/bin/env python3
"""Watch-mode latency for bench/ingest_bench.sh: drops files into imports/ with the exact time of
each rename, and turns those times plus the service's log and ledger into percentiles.

  latency_probe.py drop SRC_DIR IMPORTS_DIR COUNT GAP_SECONDS DROPS_CSV
  latency_probe.py report DROPS_CSV WATCH_LOG FINISHED_CSV

The drop runs in one process, so a rename's time is taken right before the rename system call
(no process start between them, unlike `mv` from bash). The report prints shell assignments.
"""
import datetime
import os
import re
import sys
import time


def drop(src, imports, count, gap, out):
    with open(out, "w") as drops:
        for i in range(1, count + 1):
            name = f"user_traffic_latency_{i}.csv"
            at = time.time()
            os.rename(os.path.join(src, name), os.path.join(imports, name))
            drops.write(f"{name},{at:.6f}\n")
            time.sleep(gap)


LOG_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \S+\s+\[dataprocessor\] "
    r"(?:ready: (\S+) |(\S+): loaded \d+ rows .* in ([\d.]+) s)")


def log_time(text):
    # spdlog writes local time with milliseconds; mktime reads it in the same time zone.
    parsed = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f")
    return time.mktime(parsed.timetuple()) + parsed.microsecond / 1e6


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(share * len(ordered) + 0.999999) - 1))
    return ordered[index]


def report(drops_csv, watch_log, finished_csv):
    dropped = {}
    with open(drops_csv) as drops:
        for line in drops:
            name, at = line.strip().split(",")
            dropped[name] = float(at)
    ready, committed, load_seconds = {}, {}, {}
    with open(watch_log, errors="replace") as log:
        for line in log:
            match = LOG_LINE.match(line)
            if not match:
                continue
            at = log_time(match.group(1))
            if match.group(2):
                ready.setdefault(match.group(2), at)
            else:
                committed[match.group(3)] = at
                load_seconds[match.group(3)] = float(match.group(4))
    finished = {}
    with open(finished_csv) as rows:
        for line in rows:
            name, at = line.strip().rsplit(",", 1)
            finished[name] = float(at)

    def series(ends):
        return [(ends[name] - at) * 1000 for name, at in dropped.items() if name in ends]

    figures = {
        "COMMITTED": series(committed),
        "FINISHED": series(finished),
        "READY": series(ready),
        "LOAD": [seconds * 1000 for name, seconds in load_seconds.items() if name in dropped],
    }
    print(f"LAT_FILES={len(series(committed))}")
    for key, values in figures.items():
        for label, share in (("P50", 0.50), ("P99", 0.99), ("MAX", 1.0)):
            print(f"LAT_{key}_{label}={percentile(values, share):.1f}")


def main(argv):
    if len(argv) == 7 and argv[1] == "drop":
        drop(argv[2], argv[3], int(argv[4]), float(argv[5]), argv[6])
    elif len(argv) == 5 and argv[1] == "report":
        report(argv[2], argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
