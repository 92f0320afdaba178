// dataprocessor: parse the command line, load the settings, pick the mode.
#include <iostream>

#include <spdlog/spdlog.h>

#include "cmd/analysis_mode.hpp"
#include "cmd/command_line.hpp"
#include "cmd/health_mode.hpp"
#include "cmd/help_text.hpp"
#include "cmd/infer_mode.hpp"
#include "cmd/modes.hpp"
#include "cmd/pipeline_mode.hpp"
#include "core/config/config_error.hpp"
#include "core/config/settings_loader.hpp"
#include "core/db/connect.hpp"
#include "core/db/migrations.hpp"
#include "core/log/logging.hpp"
#include "pipelines/generators.hpp"
#include "pipelines/register_all.hpp"

namespace {

int run_generate(const dp::cmd::GenerateOptions& options, const dp::config::Settings& settings) {
  const auto kinds = dp::pipelines::load_kinds(settings.kinds_dir);
  dp::pipelines::GenerateRequest request;
  request.kinds = kinds.get();
  request.kind = options.kind;
  request.rows = options.rows;
  request.out = options.out;
  request.seed = options.seed;
  request.bad_rows = options.bad_rows;
  return dp::pipelines::run_generator(request);
}

int run_mode(const dp::cmd::CommandLine& command_line, const dp::config::Settings& settings) {
  using dp::cmd::Mode;
  switch (command_line.mode) {
    case Mode::kWatch:
      return dp::cmd::run_watch(settings);
    case Mode::kIngest:
    case Mode::kCheck:
      return dp::cmd::run_ingest(settings, command_line);
    case Mode::kInitDb:
      return dp::cmd::run_init_db(settings);
    case Mode::kStatus:
      return dp::cmd::run_status(settings, command_line);
    case Mode::kPipeline:
      return dp::cmd::run_pipeline(settings, command_line);
    case Mode::kAnalysis:
      return dp::cmd::run_analysis(settings);
    case Mode::kHealth:
      return dp::cmd::run_health(settings);
    case Mode::kGenerate:
      return run_generate(command_line.generate, settings);
    case Mode::kKinds:
      return dp::cmd::run_kinds(settings);
    case Mode::kHelp:
    case Mode::kVersion:
    case Mode::kInfer:
      break;
  }
  return dp::cmd::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  dp::cmd::CommandLine command_line;
  try {
    command_line = dp::cmd::parse_command_line(argc, argv);
  } catch (const dp::cmd::UsageError& error) {
    std::cerr << "dataprocessor: " << error.what() << "\nTry 'dataprocessor --help'.\n";
    return dp::cmd::kExitUsage;
  }
  if (command_line.mode == dp::cmd::Mode::kHelp) {
    std::cout << dp::cmd::help_text();
    return dp::cmd::kExitOk;
  }
  if (command_line.mode == dp::cmd::Mode::kVersion) {
    std::cout << dp::cmd::version_text() << "\n";
    return dp::cmd::kExitOk;
  }
  if (command_line.mode == dp::cmd::Mode::kInfer) {
    // Reads one local file and prints TOML: no settings, no database, no log lines on stdout.
    return dp::cmd::run_infer(command_line.infer, std::cout, std::cerr);
  }

  dp::config::LoadedSettings loaded;
  try {
    loaded = dp::config::load_settings(command_line.settings_sources());
  } catch (const dp::config::ConfigError& error) {
    std::cerr << "dataprocessor: configuration error: " << error.what() << "\n";
    return dp::cmd::kExitUsage;
  }
  if (command_line.mode == dp::cmd::Mode::kHealth) {
    // Docker asks every 30 s; the answer is the exit code, not a log line.
    return dp::cmd::run_health(loaded.settings);
  }
  dp::log::setup_logging(loaded.settings);
  for (const auto& warning : loaded.warnings) {
    spdlog::warn("{}", warning);
  }
  spdlog::debug("effective settings:\n{}", loaded.settings.describe(loaded.origins));

  try {
    return run_mode(command_line, loaded.settings);
  } catch (const dp::config::ConfigError& error) {
    // A kind file that cannot be used (it names the file, line and key) is configuration.
    std::cerr << "dataprocessor: configuration error: " << error.what() << "\n";
    spdlog::critical("{}", error.what());
    return dp::cmd::kExitUsage;
  } catch (const dp::db::FatalConnectError& error) {
    spdlog::critical("{}", error.what());
  } catch (const dp::db::MigrationError& error) {
    spdlog::critical("{}", error.what());
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
  }
  return dp::cmd::kExitWorkFailed;
}
