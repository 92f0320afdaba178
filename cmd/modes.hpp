#pragma once

#include "cmd/command_line.hpp"
#include "core/config/settings.hpp"

namespace dp::cmd {

/// Exit codes of the command-line contract (ARCHITECTURE.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitWorkFailed = 1;
inline constexpr int kExitUsage = 2;

/// `--watch` (default): scan and watch imports/ until SIGTERM/SIGINT; exits 0 on a clean stop.
int run_watch(const config::Settings& settings);
/// `--ingest FILE...` and `--check FILE...`: one code path; --check commits nothing.
int run_ingest(const config::Settings& settings, const CommandLine& command_line);
/// `--status [--json]`: the ledger summary for operators (and scripts, as JSON).
int run_status(const config::Settings& settings, const CommandLine& command_line);
/// `--init-db`: apply migrations and exit.
int run_init_db(const config::Settings& settings);
/// `--kinds`: every kind the service would load (built-in and kinds_dir), with its patterns,
/// staging table and source file; exit 2 when a kind file is invalid.
int run_kinds(const config::Settings& settings);

}  // namespace dp::cmd
