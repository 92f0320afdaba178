#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/analysis_error.hpp"

namespace dp::analysis {

/// A report.toml that cannot be used; the message names the file, the line and the key.
class ReportSpecError : public AnalysisError {
 public:
  using AnalysisError::AnalysisError;
};

/// How a chart draws its rows: the chart types of core/analysis.
enum class ChartType {
  /// render_line_chart: x a date, one line per series (or one line).
  kLine,
  /// render_bar_chart: x the row label, one bar per y column, or per value of `series`.
  kBar,
  /// render_stacked_columns: x a date grouped into months, one stacked part per series value.
  kColumns,
};

/// One chart declared in a subject's report.toml ([[chart]]): which view it reads and how.
struct ChartSpec {
  std::string id;
  ChartType type = ChartType::kBar;
  /// View in schema analysis.
  std::string view;
  std::string title;
  /// The category column: the day (line), the row label (bar), the month (columns).
  std::string x;
  /// The value columns; several draw grouped bars, one series per column.
  std::vector<std::string> y;
  /// A column whose values split the rows into series (bars per value, stacked parts).
  std::string series;
  /// ORDER BY of the query (columns of the view, ASC/DESC, NULLS FIRST/LAST).
  std::string order;
  std::string x_label;
  std::string y_label;
  /// Spans the page's full width rather than half of it.
  bool wide = true;
  double height = 360;
  /// Rows drawn at most (bars: the top N); 0 = all.
  std::size_t limit = 0;
  /// Decimals of printed values, and the unit appended to them (" min", " %").
  int decimals = 0;
  std::string unit;
  /// Line charts: whole-number axis steps.
  bool integers = false;
  /// Line charts: the name of the single line (legend and tooltips).
  std::string series_name;
  /// Line charts: days without a row between the first and the last day count 0.
  bool fill_missing_days = false;
  /// Bar charts: a NULL value is drawn as 0 instead of no bar.
  bool null_as_zero = false;
  /// Bar charts: a logarithmic value axis.
  bool log_scale = false;
  /// Bar charts: a fixed end of the value axis (100 for percentages).
  std::optional<double> axis_max;
  /// Bar charts: a column drawn as a marker over each bar (a target), and its legend entry.
  std::string marker;
  std::string marker_name;
  /// Bar charts with `series`: the legend entry of a series value ({series} is replaced), and
  /// what is appended when the series has a marker value ({marker}).
  std::string series_label = "{series}";
  std::string series_marker_label;
  /// Bar charts with `series`: the column whose value (per series) fills {marker}.
  std::string series_marker;
  /// Bar charts with `series`: a series value is shown when one of its rows has a value in one
  /// of these columns (default: y), so charts of one view can share their series.
  std::vector<std::string> series_when;
  /// Column charts: at most this many series; the smallest beyond are merged into one.
  std::size_t max_series = 0;
  std::string other_series = "Other";
};

/// One column of a declared table: the view's column, its header, its number format.
struct TableColumnSpec {
  std::string column;
  std::string header;
  /// A number with this many decimals (thousands separated); text when absent.
  std::optional<int> decimals;
  /// The number is multiplied by this before it is printed (100 for a ratio shown in %).
  double multiply = 1;
  std::string suffix;
  /// Marks the cell (class "over") when its value is above this column's value.
  std::string over;
};

/// A table declared in a subject's report.toml ([[table]]), drawn after the section's charts.
struct TableSpec {
  std::string id;
  std::string view;
  std::string title;
  std::string order;
  std::vector<TableColumnSpec> columns;
};

/// One subject's part of the page: a section with its charts and tables.
struct SectionSpec {
  /// The report.toml it comes from, for messages.
  std::filesystem::path file;
  std::string id;
  std::string title;
  /// Sections are shown by this number, then by id.
  int order = 0;
  std::vector<ChartSpec> charts;
  std::vector<TableSpec> tables;
};

/// One count shown in the page's header (rows of a subject in the warehouse).
struct MetaCountSpec {
  std::string label;
  std::string column;
};

/// The page header's source ([meta] in one report.toml): a view with one row for the batch
/// shown (columns batch_id, mode, finished_at) and the declared counts; no row = no data yet.
struct MetaSpec {
  std::filesystem::path file;
  std::string view;
  std::vector<MetaCountSpec> counts;
};

/// Every report.toml under the analysis folder: the page's header and its sections in order.
struct ReportSpec {
  MetaSpec meta;
  std::vector<SectionSpec> sections;
};

/// Reads `<views_dir>/*/report.toml` (one per subject folder, each optional): [section],
/// [[chart]], [[table]] and, in exactly one of them, [meta]. Unknown keys, wrong types, unknown
/// chart types, repeated ids and names that are not plain identifiers are ReportSpecErrors that
/// name the file, the line and the key.
ReportSpec load_report_spec(const std::filesystem::path& views_dir);

/// The same for one file's text (tests); `meta` and `sections` of `into` grow.
void parse_report_toml(const std::string& text, const std::filesystem::path& file,
                       ReportSpec& into);

/// Every chart id in page order, so tests can find each chart in the rendered page.
std::vector<std::string> chart_ids(const ReportSpec& spec);

}  // namespace dp::analysis
