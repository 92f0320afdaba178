#pragma once

#include <string>

#include "core/analysis/report_data.hpp"
#include "core/analysis/report_spec.hpp"

namespace dp::analysis {

/// A declared table as HTML (every value escaped, numbers in the column's format, "–" for
/// NULL, class "over" where a value exceeds its `over` column); empty when it has no rows.
std::string render_report_table(const TableSpec& table, const ViewRows& rows);

}  // namespace dp::analysis
