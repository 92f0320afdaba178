#include "core/analysis/report_table.hpp"

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

std::optional<double> number_at(const std::vector<std::optional<std::string>>& row,
                                std::size_t column) {
  return row[column] ? parse_number(*row[column]) : std::nullopt;
}

std::string cell(const TableColumnSpec& column, const ViewRows& rows,
                 const std::vector<std::optional<std::string>>& row) {
  const auto at = rows.index(column.column);
  if (!column.decimals) {
    return fmt::format("<td>{}</td>", html_escape(row[at].value_or(std::string())));
  }
  const auto value = number_at(row, at);
  std::optional<double> limit;
  if (!column.over.empty()) {
    limit = number_at(row, rows.index(column.over));
  }
  const bool over = value && limit && *value > *limit;
  const std::string shown =
      value ? format_number(*value * column.multiply, *column.decimals) + column.suffix
            : std::string("\u2013");
  return fmt::format("<td class=\"num{}\">{}</td>", over ? " over" : "", html_escape(shown));
}

}  // namespace

std::string render_report_table(const TableSpec& table, const ViewRows& rows) {
  if (rows.rows.empty()) {
    return {};
  }
  std::string out =
      fmt::format("<div class=\"table-wrap\"><h3>{}</h3>\n<table id=\"{}\"><thead><tr>",
                  html_escape(table.title), html_escape(table.id));
  for (const auto& column : table.columns) {
    out += fmt::format("<th{}>{}</th>", column.decimals ? " class=\"num\"" : "",
                       html_escape(column.header));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows.rows) {
    out += "<tr>";
    for (const auto& column : table.columns) {
      out += cell(column, rows, row);
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

}  // namespace dp::analysis
