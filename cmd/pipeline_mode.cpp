#include "cmd/pipeline_mode.hpp"

#include <algorithm>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cmd/database_session.hpp"
#include "cmd/modes.hpp"
#include "core/warehouse/pipeline_lock.hpp"
#include "core/warehouse/pipeline_runner.hpp"
#include "core/warehouse/step_manifest.hpp"
#include "pipelines/register_all.hpp"

namespace dp::cmd {
namespace {

warehouse::PipelineOptions pipeline_options_from(const config::Settings& settings,
                                                 const CommandLine& command_line,
                                                 const std::string& conninfo) {
  warehouse::PipelineOptions options;
  options.conninfo = conninfo;
  options.manifest = settings.sql_dir / "warehouse" / "manifest.toml";
  options.staging_schema = settings.staging_schema;
  options.dw_schema = settings.dw_schema;
  options.mode = command_line.full ? warehouse::RunMode::kFull : warehouse::RunMode::kIncremental;
  options.workers = static_cast<std::size_t>(std::max(1, settings.workers));
  options.retries = settings.pipeline_retries;
  options.retry_delay = settings.pipeline_retry_delay_s;
  options.lock = settings.pipeline_lock;
  return options;
}

}  // namespace

int run_pipeline(const config::Settings& settings, const CommandLine& command_line) {
  return run_pipeline(settings, command_line, std::cout);
}

int run_pipeline(const config::Settings& settings, const CommandLine& command_line,
                 std::ostream& out) {
  // The manifest is checked before the database is touched: a broken installation should not
  // start an embedded cluster or apply migrations.
  const auto manifest = settings.sql_dir / "warehouse" / "manifest.toml";
  try {
    warehouse::load_manifest(manifest);
  } catch (const warehouse::ManifestError& error) {
    out << "pipeline not started: " << error.what() << "\n";
    spdlog::error("pipeline not started: {}", error.what());
    return kExitWorkFailed;
  }

  pipeline::PipelineRegistry registry;
  pipelines::register_all_pipelines(registry);
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  // Steps read every kind's staging table, loaded or not yet.
  session.ensure_staging(registry);

  try {
    const auto report = warehouse::build_warehouse(
        pipeline_options_from(settings, command_line, session.conninfo()));
    out << warehouse::format_run_report(report) << std::flush;
    return report.succeeded() ? kExitOk : kExitWorkFailed;
  } catch (const warehouse::PipelineBusy& busy) {
    out << "pipeline not started: " << busy.what() << "\n";
    spdlog::error("pipeline not started: {}", busy.what());
    return kExitWorkFailed;
  } catch (const warehouse::ManifestError& error) {
    out << "pipeline not started: " << error.what() << "\n";
    spdlog::error("pipeline not started: {}", error.what());
    return kExitWorkFailed;
  }
}

}  // namespace dp::cmd
