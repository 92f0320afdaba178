#include "cmd/analysis_mode.hpp"

#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cmd/database_session.hpp"
#include "cmd/modes.hpp"
#include "core/analysis/analysis_error.hpp"
#include "core/analysis/analysis_runner.hpp"
#include "core/db/pg_error.hpp"
#include "core/warehouse/pipeline_lock.hpp"

namespace dp::cmd {
namespace {

analysis::AnalysisOptions analysis_options_from(const config::Settings& settings,
                                                const std::string& conninfo) {
  analysis::AnalysisOptions options;
  options.conninfo = conninfo;
  options.views_dir = settings.sql_dir / "analysis";
  options.output_dir = settings.exports_dir / "analysis";
  options.modes.file = settings.output_mode;
  options.dw_schema = settings.dw_schema;
  options.staging_schema = settings.staging_schema;
  return options;
}

void print_summary(const analysis::AnalysisResult& result, std::ostream& out) {
  out << fmt::format("analysis: {} view files applied, {} views in schema analysis\n",
                     result.views.files.size(), result.views.views.size());
  for (const auto& exported : result.exports) {
    out << fmt::format("  {:<34} {:>9} rows  {}\n", exported.view, exported.rows,
                       exported.path.string());
  }
  out << "report: " << result.report.string() << " ("
      << (result.batch_id ? "warehouse batch " + *result.batch_id : std::string("no data yet"))
      << ")\n";
}

int fail(std::ostream& out, const std::string& message) {
  out << "analysis failed: " << message << "\n";
  spdlog::error("analysis failed: {}", message);
  return kExitWorkFailed;
}

}  // namespace

int run_analysis(const config::Settings& settings) {
  return run_analysis(settings, std::cout);
}

int run_analysis(const config::Settings& settings, std::ostream& out) {
  // A broken installation (no view files) should not start an embedded cluster first.
  try {
    analysis::list_view_files(settings.sql_dir / "analysis");
  } catch (const analysis::AnalysisError& error) {
    return fail(out, error.what());
  }
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  try {
    const warehouse::PipelineLock lock(session.connection(), settings.dw_schema,
                                       settings.pipeline_lock, [&out](const std::string& message) {
                                         out << message << "\n" << std::flush;
                                         spdlog::info("{}", message);
                                       });
    const auto result =
        analysis::build_analysis(analysis_options_from(settings, session.conninfo()));
    print_summary(result, out);
    out << std::flush;
    return kExitOk;
  } catch (const warehouse::PipelineBusy& busy) {
    return fail(out, busy.what());
  } catch (const analysis::AnalysisError& error) {
    return fail(out, error.what());
  } catch (const db::PgError& error) {
    return fail(out, error.what());
  } catch (const std::filesystem::filesystem_error& error) {
    return fail(out, error.what());
  } catch (const std::system_error& error) {
    return fail(out, error.what());
  }
}

}  // namespace dp::cmd
