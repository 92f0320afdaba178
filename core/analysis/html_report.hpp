#pragma once

#include <chrono>
#include <string>

#include "core/analysis/report_data.hpp"
#include "core/analysis/report_spec.hpp"

namespace dp::analysis {

/// `YYYY-MM-DD HH:MM:SS UTC`: the page states when it was generated in one unambiguous zone.
std::string format_generated_at(std::chrono::system_clock::time_point when);

/// report.html: one self-contained page (inline CSS, inline SVG, no script, nothing fetched)
/// with every declared section, chart and table in `spec`, when it was generated and from which
/// warehouse batch — or, before the first successful --pipeline run with data, that there is no
/// data yet. Every value from the database and from the declarations is HTML-escaped.
std::string render_report_html(const ReportSpec& spec, const ReportData& data,
                               const std::string& generated_at);

}  // namespace dp::analysis
