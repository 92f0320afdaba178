#pragma once

#include <chrono>
#include <string>

#include "core/analysis/report_data.hpp"

namespace dp::analysis {

/// `YYYY-MM-DD HH:MM:SS UTC`: the page states when it was generated in one unambiguous zone.
std::string format_generated_at(std::chrono::system_clock::time_point when);

/// report.html: one self-contained page (inline CSS, inline SVG, no script, nothing fetched)
/// with every chart, the funnel and SLA tables, when it was generated and from which warehouse
/// batch — or, before the first successful --pipeline run with data, that there is no data yet.
/// Every value from the database is HTML-escaped.
std::string render_report_html(const ReportData& data, const std::string& generated_at);

}  // namespace dp::analysis
