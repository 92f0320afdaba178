#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/report_spec.hpp"
#include "core/db/libpq_connection.hpp"

namespace dp::analysis {

/// The rows of one declared query, as text (NULL = nullopt), by column name.
struct ViewRows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  /// Index of `column`; throws AnalysisError when the query did not select it.
  std::size_t index(const std::string& column) const;
};

/// The warehouse batch the report shows (the [meta] view): the page names it so a reader knows
/// how fresh the numbers are, with the declared counts.
struct ReportBatch {
  std::string batch_id;
  std::string mode;
  /// `YYYY-MM-DD HH:MM:SS` in UTC.
  std::string finished_at;
  /// Label and value of each declared count, in declaration order.
  std::vector<std::pair<std::string, std::int64_t>> counts;
};

/// Everything report.html shows, read from the analysis views (never from warehouse tables, so
/// the page and the CSV exports always agree).
struct ReportData {
  /// Empty while the warehouse holds no data: the page then says "no data yet".
  std::optional<ReportBatch> batch;
  /// The rows of each chart and table, by its id.
  std::map<std::string, ViewRows> rows;
};

/// Reads the views the report declares on `connection` (inside the caller's snapshot, so the
/// page matches the CSVs). Throws db::PgError when a view is missing or lacks a declared
/// column (the message names the view).
ReportData load_report_data(db::LibpqConnection& connection, const ReportSpec& spec);

}  // namespace dp::analysis
