#include "core/analysis/report_spec.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace dp::analysis {
namespace {

namespace fs = std::filesystem;

bool is_identifier(std::string_view text) {
  if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || text[0] == '_')) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_dom_id(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

/// `a DESC NULLS LAST, b`: columns and sort words only, so the text can go into ORDER BY.
bool is_order_by(std::string_view text) {
  std::string word;
  bool expect_column = true;
  const auto flush = [&]() {
    if (word.empty()) {
      return true;
    }
    std::string upper;
    for (const char c : word) {
      upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    const bool keyword = upper == "ASC" || upper == "DESC" || upper == "NULLS" ||
                         upper == "FIRST" || upper == "LAST";
    const bool ok = expect_column ? is_identifier(word) : keyword;
    expect_column = false;
    word.clear();
    return ok;
  };
  for (const char c : text) {
    if (c == ' ') {
      if (!flush()) {
        return false;
      }
    } else if (c == ',') {
      if (!flush() || expect_column) {
        return false;
      }
      expect_column = true;
    } else {
      word += c;
    }
  }
  return flush() && !expect_column;
}

/// Reads the keys of one TOML table, knowing where it is for messages, and refuses keys it
/// was not asked for.
class KeyReader {
 public:
  KeyReader(const toml::table& table, std::string file, std::string path)
      : table_(table), file_(std::move(file)), path_(std::move(path)) {}

  [[noreturn]] void fail(const toml::node& node, std::string_view key,
                         const std::string& message) const {
    throw ReportSpecError(fmt::format("{}:{}: {}{}: {}", file_, node.source().begin.line,
                                      path_.empty() ? "" : path_ + ".", key, message));
  }
  [[noreturn]] void fail_missing(std::string_view key) const {
    throw ReportSpecError(fmt::format("{}:{}: {}{}: missing (required)", file_,
                                      table_.source().begin.line, path_.empty() ? "" : path_ + ".",
                                      key));
  }

  std::optional<std::string> text(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_string()) {
      fail(*node, key, "expected a string");
    }
    return node->value<std::string>();
  }
  std::string text_or(std::string_view key, std::string fallback) {
    return text(key).value_or(std::move(fallback));
  }
  std::string required_text(std::string_view key) {
    auto value = text(key);
    if (!value || value->empty()) {
      fail_missing(key);
    }
    return *value;
  }
  /// A plain identifier (a view or column name): safe to put into SQL unquoted.
  std::string identifier(std::string_view key, bool required) {
    const toml::node* node = table_.get(key);
    auto value = required ? required_text(key) : text_or(key, "");
    if (!value.empty() && !is_identifier(value)) {
      fail(*node, key,
           fmt::format("\"{}\" is not a plain lower-case identifier ([a-z_][a-z0-9_]*)", value));
    }
    return value;
  }
  std::vector<std::string> identifiers(std::string_view key) {
    const toml::node* node = take(key);
    std::vector<std::string> out;
    if (node == nullptr) {
      fail_missing(key);
    }
    if (node->is_string()) {
      out.push_back(*node->value<std::string>());
    } else if (const auto* array = node->as_array(); array != nullptr && !array->empty()) {
      for (const auto& element : *array) {
        if (!element.is_string()) {
          fail(*node, key, "expected a string or an array of strings");
        }
        out.push_back(*element.value<std::string>());
      }
    } else {
      fail(*node, key, "expected a string or a non-empty array of strings");
    }
    for (const auto& name : out) {
      if (!is_identifier(name)) {
        fail(*node, key, fmt::format("\"{}\" is not a plain lower-case identifier", name));
      }
    }
    return out;
  }
  std::optional<double> number(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_number()) {
      fail(*node, key, "expected a number");
    }
    return node->value<double>();
  }
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const toml::node* node = take(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_integer()) {
      fail(*node, key, "expected a whole number");
    }
    const auto value = *node->value<std::int64_t>();
    if (value < min || value > max) {
      fail(*node, key, fmt::format("{} is out of range ({}..{})", value, min, max));
    }
    return value;
  }
  bool boolean(std::string_view key, bool fallback) {
    const toml::node* node = take(key);
    if (node == nullptr) {
      return fallback;
    }
    if (!node->is_boolean()) {
      fail(*node, key, "expected true or false");
    }
    return *node->value<bool>();
  }
  const toml::node* node(std::string_view key) { return take(key); }

  /// Refuses any key no read asked for (a misspelt key must not be silently ignored).
  void finish(std::string_view what) const {
    for (const auto& [key, node] : table_) {
      if (!seen_.contains(std::string(key.str()))) {
        fail(node, key.str(), fmt::format("unknown key in {}", what));
      }
    }
  }
  const std::string& file() const { return file_; }
  const toml::table& table() const { return table_; }

 private:
  const toml::node* take(std::string_view key) {
    seen_.insert(std::string(key));
    return table_.get(key);
  }

  const toml::table& table_;
  std::string file_;
  std::string path_;
  std::set<std::string> seen_;
};

std::string order_by(KeyReader& reader, const std::string& fallback) {
  const toml::node* node = reader.table().get("order");
  const auto value = reader.text_or("order", fallback);
  if (node != nullptr && !is_order_by(value)) {
    reader.fail(
        *node, "order",
        fmt::format("\"{}\" is not a list of columns with ASC/DESC/NULLS FIRST/LAST", value));
  }
  return value;
}

std::string dom_id(KeyReader& reader) {
  const toml::node* node = reader.table().get("id");
  auto value = reader.required_text("id");
  if (!is_dom_id(value)) {
    reader.fail(*node, "id", fmt::format("\"{}\" is not an id of [a-z0-9-]", value));
  }
  return value;
}

ChartSpec read_chart(const toml::table& table, const std::string& file, const std::string& path) {
  KeyReader reader(table, file, path);
  ChartSpec chart;
  chart.id = dom_id(reader);
  const toml::node* type_node = reader.table().get("type");
  const auto type = reader.required_text("type");
  if (type == "line") {
    chart.type = ChartType::kLine;
  } else if (type == "bar") {
    chart.type = ChartType::kBar;
  } else if (type == "columns") {
    chart.type = ChartType::kColumns;
  } else {
    reader.fail(*type_node, "type",
                fmt::format("unknown chart type \"{}\" (line, bar or columns)", type));
  }
  chart.view = reader.identifier("view", true);
  chart.title = reader.required_text("title");
  chart.x = reader.identifier("x", true);
  chart.y = reader.identifiers("y");
  chart.series = reader.identifier("series", false);
  chart.order = order_by(reader, chart.x);
  chart.x_label = reader.required_text("x_label");
  chart.y_label = reader.required_text("y_label");
  const toml::node* width_node = reader.table().get("width");
  const auto width = reader.text_or("width", "wide");
  if (width != "wide" && width != "half") {
    reader.fail(*width_node, "width", fmt::format("\"{}\" is not wide or half", width));
  }
  chart.wide = width == "wide";
  chart.height = static_cast<double>(reader.integer("height", 100, 2000).value_or(360));
  chart.limit = static_cast<std::size_t>(reader.integer("limit", 1, 100000).value_or(0));
  chart.decimals = static_cast<int>(reader.integer("decimals", 0, 10).value_or(0));
  chart.unit = reader.text_or("unit", "");
  chart.integers = reader.boolean("integers", false);
  chart.series_name = reader.text_or("series_name", chart.y.front());
  chart.fill_missing_days = reader.boolean("fill_missing_days", false);
  chart.null_as_zero = reader.boolean("null_as_zero", false);
  const toml::node* scale_node = reader.table().get("scale");
  const auto scale = reader.text_or("scale", "linear");
  if (scale != "linear" && scale != "log") {
    reader.fail(*scale_node, "scale", fmt::format("\"{}\" is not linear or log", scale));
  }
  chart.log_scale = scale == "log";
  chart.axis_max = reader.number("axis_max");
  chart.marker = reader.identifier("marker", false);
  chart.marker_name = reader.text_or("marker_name", chart.marker);
  chart.series_label = reader.text_or("series_label", "{series}");
  chart.series_marker_label = reader.text_or("series_marker_label", "");
  chart.series_marker = reader.identifier("series_marker", false);
  if (reader.table().contains("series_when")) {
    chart.series_when = reader.identifiers("series_when");
  } else {
    reader.node("series_when");
    chart.series_when = chart.y;
  }
  chart.max_series = static_cast<std::size_t>(reader.integer("max_series", 2, 100).value_or(0));
  chart.other_series = reader.text_or("other_series", "Other");
  reader.finish("[[chart]]");
  const auto rule = [&](bool broken, const char* key, const char* message) {
    if (broken) {
      reader.fail(table, key, message);
    }
  };
  rule(chart.type != ChartType::kBar && chart.y.size() > 1, "y",
       "only bar charts take several y columns");
  rule(chart.type == ChartType::kColumns && chart.series.empty(), "series",
       "a columns chart needs the column whose values are its stacked parts");
  rule(chart.type == ChartType::kLine && !chart.series.empty(), "series",
       "line charts draw one line");
  rule(!chart.series.empty() && chart.y.size() > 1, "series",
       "series and several y columns cannot be combined");
  rule(chart.series.empty() && chart.series_when != chart.y, "series_when",
       "series_when chooses the series of `series`, which is not set");
  rule(chart.series.empty() && !chart.series_marker.empty(), "series_marker",
       "series_marker labels the series of `series`, which is not set");
  return chart;
}

TableSpec read_table(const toml::table& table, const std::string& file, const std::string& path) {
  KeyReader reader(table, file, path);
  TableSpec spec;
  spec.id = dom_id(reader);
  spec.view = reader.identifier("view", true);
  spec.title = reader.required_text("title");
  const toml::node* columns = reader.node("columns");
  spec.order = order_by(reader, "");
  reader.finish("[[table]]");
  const auto* array = columns == nullptr ? nullptr : columns->as_array();
  if (array == nullptr || array->empty() || !array->is_array_of_tables()) {
    reader.fail(table, "columns", "expected [[table.columns]] entries");
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    KeyReader column_reader(*array->get(i)->as_table(), file,
                            fmt::format("{}.columns[{}]", path, i + 1));
    TableColumnSpec column;
    column.column = column_reader.identifier("column", true);
    column.header = column_reader.required_text("header");
    if (const auto decimals = column_reader.integer("decimals", 0, 10)) {
      column.decimals = static_cast<int>(*decimals);
    }
    column.multiply = column_reader.number("multiply").value_or(1);
    column.suffix = column_reader.text_or("suffix", "");
    column.over = column_reader.identifier("over", false);
    column_reader.finish("[[table.columns]]");
    spec.columns.push_back(std::move(column));
  }
  return spec;
}

template <typename Read>
auto read_array(KeyReader& reader, std::string_view key, const std::string& file, Read read) {
  std::vector<decltype(read(std::declval<const toml::table&>(), file, std::string()))> out;
  const toml::node* node = reader.node(key);
  if (node == nullptr) {
    return out;
  }
  const auto* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    reader.fail(*node, key, fmt::format("expected [[{}]] tables", key));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    out.push_back(read(*array->get(i)->as_table(), file, fmt::format("{}[{}]", key, i + 1)));
  }
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ReportSpecError(fmt::format("cannot read {}", path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void parse_report_toml(const std::string& text, const fs::path& file, ReportSpec& into) {
  const std::string name = file.string();
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& error) {
    throw ReportSpecError(
        fmt::format("{}:{}: {}", name, error.source().begin.line, error.description()));
  }
  KeyReader reader(root, name, "");
  if (const toml::node* meta = reader.node("meta")) {
    if (!into.meta.view.empty()) {
      reader.fail(*meta, "meta",
                  fmt::format("a second [meta]: {} already declares it", into.meta.file.string()));
    }
    if (!meta->is_table()) {
      reader.fail(*meta, "meta", "expected a [meta] table");
    }
    KeyReader meta_reader(*meta->as_table(), name, "meta");
    into.meta.file = file;
    into.meta.view = meta_reader.identifier("view", true);
    into.meta.counts = read_array(
        meta_reader, "counts", name,
        [](const toml::table& table, const std::string& source, const std::string& path) {
          KeyReader count(table, source, "meta." + path);
          MetaCountSpec spec;
          spec.label = count.required_text("label");
          spec.column = count.identifier("column", true);
          count.finish("[[meta.counts]]");
          return spec;
        });
    meta_reader.finish("[meta]");
  }
  const toml::node* section = reader.node("section");
  auto charts = read_array(reader, "chart", name, read_chart);
  auto tables = read_array(reader, "table", name, read_table);
  reader.finish("report.toml (section, chart, table, meta)");
  if (section == nullptr) {
    if (!charts.empty() || !tables.empty()) {
      reader.fail(root, "section", "charts and tables need a [section] (id, title, order)");
    }
    return;
  }
  if (!section->is_table()) {
    reader.fail(*section, "section", "expected a [section] table");
  }
  KeyReader section_reader(*section->as_table(), name, "section");
  SectionSpec spec;
  spec.file = file;
  spec.id = dom_id(section_reader);
  spec.title = section_reader.required_text("title");
  spec.order = static_cast<int>(section_reader.integer("order", -100000, 100000).value_or(0));
  section_reader.finish("[section]");
  spec.charts = std::move(charts);
  spec.tables = std::move(tables);
  into.sections.push_back(std::move(spec));
}

ReportSpec load_report_spec(const fs::path& views_dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(views_dir, error)) {
    const auto file = entry.path() / "report.toml";
    if (entry.is_directory() && fs::is_regular_file(file)) {
      files.push_back(file);
    }
  }
  std::sort(files.begin(), files.end());
  ReportSpec spec;
  for (const auto& file : files) {
    parse_report_toml(read_file(file), file, spec);
  }
  if (spec.meta.view.empty()) {
    throw ReportSpecError(fmt::format(
        "no report.toml under {} declares [meta] (the view of the batch the page shows)",
        views_dir.string()));
  }
  std::stable_sort(spec.sections.begin(), spec.sections.end(),
                   [](const SectionSpec& a, const SectionSpec& b) {
                     return a.order != b.order ? a.order < b.order : a.id < b.id;
                   });
  std::set<std::string> ids;
  for (const auto& section : spec.sections) {
    std::vector<std::string> own{section.id};
    for (const auto& chart : section.charts) {
      own.push_back(chart.id);
    }
    for (const auto& table : section.tables) {
      own.push_back(table.id);
    }
    for (const auto& id : own) {
      if (!ids.insert(id).second) {
        throw ReportSpecError(
            fmt::format("{}: id \"{}\" is used twice in the report", section.file.string(), id));
      }
    }
  }
  return spec;
}

std::vector<std::string> chart_ids(const ReportSpec& spec) {
  std::vector<std::string> ids;
  for (const auto& section : spec.sections) {
    for (const auto& chart : section.charts) {
      ids.push_back(chart.id);
    }
  }
  return ids;
}

}  // namespace dp::analysis
