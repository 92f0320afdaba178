#pragma once

#include <ostream>

#include "cmd/command_line.hpp"
#include "core/config/settings.hpp"

namespace dp::cmd {

/// `--pipeline [--full]`: builds the warehouse from the loaded staging data and prints the run's
/// summary. Exit code 0 when every step succeeded; 1 when a step failed (the message names the
/// step and the database's error), the manifest is broken, or another run holds the lock and
/// pipeline_lock=fail.
int run_pipeline(const config::Settings& settings, const CommandLine& command_line);

/// As above, printing the summary and messages to `out`, so tests can read what users see.
int run_pipeline(const config::Settings& settings, const CommandLine& command_line,
                 std::ostream& out);

}  // namespace dp::cmd
