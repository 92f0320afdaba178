#include "cmd/help_text.hpp"

#include <fmt/format.h>

#include "core/config/setting_table.hpp"
#include "core/version.hpp"

namespace dp::cmd {
namespace {

constexpr std::string_view kUsage = R"(Usage: dataprocessor [MODE] [OPTIONS]

Modes (exactly one; --watch when none is given):
  --watch                      scan and watch imports_dir until SIGTERM/SIGINT
  --ingest FILE... [--limit N] load the given files once; exit 0 only if all loaded
  --check FILE... [--limit N]  validate without loading; print what would be loaded/rejected
  --pipeline [--full]          build the warehouse (incremental; --full rebuilds it)
  --analysis                   build the analysis views and write exports_dir
  --init-db                    apply migrations (with dev=true: drop and recreate first)
  --status [--json]            ledger summary: recent files, counts, failures
  --generate KIND --rows N --out DIR [--seed S] [--bad-rows R]
                               write synthetic files of a kind (R deliberately bad rows;
                               seed 1 by default, so runs are reproducible)
  --health                     ask the running service's /healthz (exit 0 when healthy)
  --kinds                      list every kind (built-in and kinds_dir) with its source file
  --infer FILE [--name KIND] [--rows N]
                               print a kind declaration (TOML) drafted from the first N
                               records of FILE (default 20480; .gz too): dialect, header,
                               column names, types and required columns

Options:
  --limit N                    with --ingest/--check: only the first N data rows of each file
  --config FILE                read settings from a TOML file (top-level key = value)
  --env-file FILE              read settings from a .env file (default: ./.env if present)
  --set KEY=VALUE              set one setting; repeatable; overrides every other source
  -h, --help                   print this help and exit
  --version                    print the version and exit
  --                           end of options: the remaining arguments are files

Exit codes: 0 success, 1 the work failed, 2 bad usage or configuration.

Settings come from, lowest to highest precedence: built-in defaults, the --config TOML file,
the .env file, the process environment (upper-case names; DATABASE_URL is an alias of
DB_STRING; empty variables count as unset), and --set. Keys are case-insensitive. Booleans
accept true/false/1/0/yes/no/on/off and nothing else. Durations: 250ms, 30s, 5m, 1h, 1h30m,
or a plain number in the unit the key names (seconds if it names none). Sizes: bytes, or
KiB/MiB/GiB. Secret values are never printed.

Settings (key / ENVIRONMENT_VARIABLE = default):)";

}  // namespace

std::string help_text() {
  return fmt::format("{}\n{}", kUsage, config::settings_reference());
}

std::string version_text() {
  return fmt::format("dataprocessor {}", dp::kVersion);
}

}  // namespace dp::cmd
