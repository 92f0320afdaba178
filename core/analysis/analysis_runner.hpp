#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/view_builder.hpp"
#include "core/analysis/view_exporter.hpp"
#include "core/fs/output_modes.hpp"

namespace dp::analysis {

/// Everything `--analysis` needs, taken from the settings by the mode.
struct AnalysisOptions {
  /// libpq connection string of the warehouse database.
  std::string conninfo;
  /// sql/analysis (settings.sql_dir / "analysis").
  std::filesystem::path views_dir;
  /// exports/analysis (settings.exports_dir / "analysis"): the CSVs and report.html.
  std::filesystem::path output_dir;
  /// Modes of the exported files and the analysis folder (they hold warehouse rows).
  files::OutputModes modes;
  std::string dw_schema = "datawarehouse";
  std::string staging_schema = "staging";
  /// When the report says it was generated (now, unless a test fixes it).
  std::chrono::system_clock::time_point generated_at = std::chrono::system_clock::now();
};

/// What a run produced, for the mode's summary.
struct AnalysisResult {
  ViewBuildResult views;
  std::vector<ExportedView> exports;
  std::filesystem::path report;
  /// The warehouse batch the report shows; empty when the warehouse has no data yet.
  std::optional<std::string> batch_id;
};

/// Builds schema `analysis` from the view files (one transaction), then reads every view in
/// one repeatable-read snapshot — so the CSVs and the report show the same data even while
/// loads continue — streaming each to `<view>.csv` and rendering report.html. Files are written
/// to temporary names and renamed into place only after everything was read, so a failed run
/// replaces nothing. Throws AnalysisError or db::PgError.
AnalysisResult build_analysis(const AnalysisOptions& options);

}  // namespace dp::analysis
