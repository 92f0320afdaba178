#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/line_chart.hpp"
#include "core/db/libpq_connection.hpp"

namespace dp::analysis {

/// The warehouse batch the report shows (view analysis.report_meta): the page names it so a
/// reader knows how fresh the numbers are.
struct ReportBatch {
  std::string batch_id;
  std::string mode;
  /// `YYYY-MM-DD HH:MM:SS` in UTC.
  std::string finished_at;
  std::int64_t referrals = 0;
  std::int64_t marketing_days = 0;
  std::int64_t job_titles = 0;
  std::int64_t habit_records = 0;
  std::int64_t cases = 0;
};

/// A label and a measure (a habit and its minutes, a title and its count).
struct NamedValue {
  std::string name;
  double value = 0;
};

/// A category's minutes and their share of all minutes.
struct CategoryShare {
  std::string name;
  double minutes = 0;
  std::optional<double> share_pct;
};

/// Referrals of one source in one month (analysis.referrals_by_source_month).
struct MonthlyReferrals {
  /// First day of the month, as days since 1970-01-01.
  std::int64_t month = 0;
  std::string source;
  double referrals = 0;
};

/// One source's funnel over all time (analysis.marketing_funnel); NULL measures stay empty.
struct FunnelRow {
  std::string source;
  std::string channel;
  std::optional<double> ad_spend, impressions, clicks, leads, revenue;
  std::optional<double> ctr, lead_rate, cost_per_lead, roas;
};

/// One team and priority against its SLA (analysis.team_performance).
struct TeamRow {
  std::string team;
  std::string priority;
  double cases = 0;
  std::optional<double> avg_hours_to_assign, avg_hours_to_response, avg_hours_to_resolve;
  std::optional<double> assign_sla_hours, response_sla_hours, resolve_sla_hours;
  std::optional<double> pct_assigned_within_sla;
};

/// Everything report.html shows, read from the analysis views (never from warehouse tables, so
/// the page and the CSV exports always agree).
struct ReportData {
  /// Empty while the warehouse holds no data: the page then says "no data yet".
  std::optional<ReportBatch> batch;
  std::vector<DayValue> active_users;
  std::vector<DayValue> duration_minutes;
  std::vector<NamedValue> favourite_habits;
  std::vector<CategoryShare> categories;
  std::vector<MonthlyReferrals> referrals;
  std::vector<FunnelRow> funnel;
  std::vector<NamedValue> titles_by_pdl_count;
  std::vector<NamedValue> titles_by_related_count;
  std::vector<TeamRow> teams;
};

/// Reads the report's views on `connection` (inside the caller's snapshot, so the page matches
/// the CSVs). Throws db::PgError when a view is missing or lacks a column the page needs.
ReportData load_report_data(db::LibpqConnection& connection);

}  // namespace dp::analysis
