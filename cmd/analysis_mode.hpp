#pragma once

#include <ostream>

#include "core/config/settings.hpp"

namespace dp::cmd {

/// `--analysis`: rebuilds the views of schema `analysis` from sql/analysis, exports each to
/// exports/analysis/<view>.csv and writes exports/analysis/report.html, then prints a summary.
/// Waits for (or, with pipeline_lock=fail, refuses to run beside) a --pipeline run, so it never
/// shows a half-built warehouse. Exit code 0 on success — also on an empty warehouse — and 1
/// when a view file fails (the message names the file and the database's error) or an export
/// cannot be written.
int run_analysis(const config::Settings& settings);

/// As above, printing the summary and messages to `out`, so tests can read what users see.
int run_analysis(const config::Settings& settings, std::ostream& out);

}  // namespace dp::cmd
