#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/settings_loader.hpp"

namespace dp::cmd {

/// What this run of the program does; exactly one per invocation.
enum class Mode {
  kWatch,     ///< scan + watch imports/ until SIGTERM (the default)
  kIngest,    ///< load the given files once
  kCheck,     ///< validate the given files without loading
  kPipeline,  ///< build the warehouse
  kAnalysis,  ///< build analysis views and exports
  kInitDb,    ///< apply migrations
  kStatus,    ///< print the ledger summary
  kGenerate,  ///< write synthetic files of a kind
  kKinds,     ///< list every kind (built-in and kinds_dir) with its source file
  kHealth,    ///< ask the running service's /healthz (Docker HEALTHCHECK)
  kInfer,     ///< print a kind declaration drafted from a sample file
  kHelp,      ///< print usage and settings
  kVersion,   ///< print the version
};

/// A command line that cannot be run; main() prints the message and exits with code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Arguments of `--generate KIND --rows N --out DIR [--seed S] [--bad-rows R]`.
struct GenerateOptions {
  /// Pipeline kind whose files are generated, e.g. "user_traffic".
  std::string kind;
  /// Data rows per file (the header not counted).
  std::uint64_t rows = 0;
  /// Folder the files are written to.
  std::filesystem::path out;
  /// Seed of the generator; fixed by default so that two runs write the same bytes.
  std::uint64_t seed = 1;
  /// Rows deliberately made invalid, to exercise the reject path; at most `rows`.
  std::uint64_t bad_rows = 0;
};

/// Arguments of `--infer FILE [--name KIND] [--rows N]`.
struct InferArguments {
  /// The sample file (plain or gzip).
  std::filesystem::path file;
  /// Kind name of the draft; derived from the file name when empty.
  std::string name;
  /// Data records sampled from the start of the file (DuckDB's default sample size).
  std::uint64_t rows = 20480;
};

/// The parsed command line: the mode, its arguments, and the settings sources it names.
struct CommandLine {
  /// The one mode this run performs; --watch when none is given.
  Mode mode = Mode::kWatch;
  /// FILE... of --ingest and --check, in the order given.
  std::vector<std::filesystem::path> files;
  /// `--limit N` (only with --ingest/--check): read only the first N data rows of each file.
  std::optional<std::uint64_t> limit;
  /// `--pipeline --full`: rebuild the warehouse instead of the incremental run.
  bool full = false;
  /// `--status --json`: machine-readable output.
  bool json = false;
  /// Arguments of --generate; meaningful only in Mode::kGenerate.
  GenerateOptions generate;
  /// Arguments of --infer; meaningful only in Mode::kInfer.
  InferArguments infer;
  /// `--config FILE` (TOML).
  std::optional<std::filesystem::path> config_file;
  /// `--env-file FILE`; when absent ./.env is read if it exists.
  std::optional<std::filesystem::path> env_file;
  /// `--set KEY=VALUE` in order given; the highest-precedence settings source.
  std::vector<std::string> overrides;

  /// The sources load_settings() reads for this command line (environment included).
  config::SettingsSources settings_sources() const;
};

/// Parses the arguments after the program name. `--help`/`-h` anywhere wins over everything
/// else (so a broken command line can still ask for help), then `--version`.
/// Throws UsageError on an unknown option, a missing or bad value, two modes, or an option
/// that does not belong to the chosen mode.
CommandLine parse_command_line(const std::vector<std::string>& args);

/// main()'s form of the above; argv[0] is skipped.
CommandLine parse_command_line(int argc, const char* const* argv);

/// The flag that selects a mode (`--ingest`), for messages; `--watch` for the default.
std::string_view mode_flag(Mode mode);

}  // namespace dp::cmd
