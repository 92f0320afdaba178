#include "core/analysis/analysis_runner.hpp"

#include <memory>

#include <spdlog/spdlog.h>

#include "core/analysis/html_report.hpp"
#include "core/analysis/report_data.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/fs/atomic_file_writer.hpp"
#include "core/fs/safe_directory.hpp"

namespace dp::analysis {
namespace {

/// The export snapshot: read-only, one consistent view of the warehouse; dates and times in
/// UTC and ISO format whatever the server's or role's defaults, so exports are reproducible.
constexpr const char* kSnapshot =
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL TimeZone = 'UTC'; "
    "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'iso_8601'; "
    "SET LOCAL extra_float_digits = 1";

}  // namespace

AnalysisResult build_analysis(const AnalysisOptions& options) {
  AnalysisResult result;
  // The declarations first: a broken report.toml fails the run before anything is built.
  const ReportSpec spec = load_report_spec(options.views_dir);
  db::LibpqConnection connection(options.conninfo);
  ViewBuildOptions view_options;
  view_options.views_dir = options.views_dir;
  view_options.dw_schema = options.dw_schema;
  view_options.staging_schema = options.staging_schema;
  result.views = build_analysis_views(connection, view_options);
  spdlog::info("analysis: {} view files applied, {} views in schema analysis",
               result.views.files.size(), result.views.views.size());

  const auto folder =
      files::SafeDirectory::open_configured(options.output_dir.parent_path(), options.modes)
          .child(options.output_dir.filename().string());
  std::vector<std::unique_ptr<files::AtomicFileWriter>> pending;
  ReportData data;
  {
    db::LibpqTransaction snapshot(connection);  // rolled back on any error
    connection.exec(kSnapshot);
    for (const auto& view : list_analysis_views(connection)) {
      const auto path = export_path(options.output_dir, view);
      auto writer = std::make_unique<files::AtomicFileWriter>(folder, path.filename().string());
      const auto rows = copy_view_csv(connection, view, *writer);
      pending.push_back(std::move(writer));
      result.exports.push_back({view, path, rows});
      spdlog::debug("analysis: {} rows of analysis.{} read for {}", rows, view, path.string());
    }
    data = load_report_data(connection, spec);
    snapshot.commit();
  }
  auto report = std::make_unique<files::AtomicFileWriter>(folder, "report.html");
  report->append(render_report_html(spec, data, format_generated_at(options.generated_at)));
  for (auto& writer : pending) {
    writer->commit();
  }
  result.report = report->commit();
  if (data.batch) {
    result.batch_id = data.batch->batch_id;
  }
  return result;
}

}  // namespace dp::analysis
