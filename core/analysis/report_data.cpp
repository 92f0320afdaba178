#include "core/analysis/report_data.hpp"

#include <algorithm>

#include "core/analysis/chart_axis.hpp"
#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

// The report reads the views by column name, so a renamed column fails loudly here.
constexpr const char* kBatch =
    "SELECT batch_id, mode, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
    "referrals, marketing_days, job_titles, habit_records, cases FROM analysis.report_meta";
constexpr const char* kActiveUsers =
    "SELECT record_day, active_users FROM analysis.active_users_daily ORDER BY record_day";
constexpr const char* kDuration =
    "SELECT record_day, total_duration FROM analysis.report_duration_daily ORDER BY record_day";
constexpr const char* kFavouriteHabits =
    "SELECT habit_name, total_duration FROM analysis.report_favourite_habits "
    "ORDER BY total_duration DESC NULLS LAST, habit_name";
constexpr const char* kCategories =
    "SELECT category_name, total_duration, share_pct FROM analysis.report_category_share "
    "ORDER BY total_duration DESC NULLS LAST, category_name";
constexpr const char* kReferrals =
    "SELECT month, source_name, referrals FROM analysis.referrals_by_source_month "
    "ORDER BY month, source_name";
constexpr const char* kFunnel =
    "SELECT source_name, channel, ad_spend, impressions, clicks, leads, revenue, ctr, "
    "lead_rate, cost_per_lead, roas FROM analysis.marketing_funnel ORDER BY source_name";
constexpr const char* kTitlesByPdl =
    "SELECT job_title, pdl_count FROM analysis.title_pdl_count "
    "ORDER BY pdl_count DESC, job_title";
constexpr const char* kTitlesByRelated =
    "SELECT job_title, related_count FROM analysis.top_related_titles "
    "ORDER BY related_count DESC, job_title";
constexpr const char* kTeams =
    "SELECT team, priority, cases, avg_hours_to_assign, avg_hours_to_response, "
    "avg_hours_to_resolve, assign_sla_hours, response_sla_hours, resolve_sla_hours, "
    "pct_assigned_within_sla FROM analysis.team_performance ORDER BY team, priority";

std::optional<double> number(const db::PgResult& result, int row, int column) {
  return parse_number(result.get(row, column));
}

double number_or_zero(const db::PgResult& result, int row, int column) {
  return number(result, row, column).value_or(0);
}

std::string text(const db::PgResult& result, int row, int column) {
  return std::string(result.get(row, column));
}

std::vector<DayValue> daily(db::LibpqConnection& connection, const char* sql) {
  std::vector<DayValue> out;
  const auto result = connection.exec(sql);
  for (int row = 0; row < result.rows(); ++row) {
    if (const auto day = parse_iso_date(result.get(row, 0))) {
      out.push_back({*day, number_or_zero(result, row, 1)});
    }
  }
  return out;
}

std::vector<NamedValue> named(db::LibpqConnection& connection, const char* sql) {
  std::vector<NamedValue> out;
  const auto result = connection.exec(sql);
  for (int row = 0; row < result.rows(); ++row) {
    out.push_back({text(result, row, 0), number_or_zero(result, row, 1)});
  }
  return out;
}

}  // namespace

ReportData load_report_data(db::LibpqConnection& connection) {
  ReportData data;
  if (const auto result = connection.exec(kBatch); result.rows() > 0) {
    ReportBatch batch;
    batch.batch_id = text(result, 0, 0);
    batch.mode = text(result, 0, 1);
    batch.finished_at = text(result, 0, 2);
    batch.referrals = static_cast<std::int64_t>(number_or_zero(result, 0, 3));
    batch.marketing_days = static_cast<std::int64_t>(number_or_zero(result, 0, 4));
    batch.job_titles = static_cast<std::int64_t>(number_or_zero(result, 0, 5));
    batch.habit_records = static_cast<std::int64_t>(number_or_zero(result, 0, 6));
    batch.cases = static_cast<std::int64_t>(number_or_zero(result, 0, 7));
    data.batch = batch;
  }
  data.active_users = daily(connection, kActiveUsers);
  data.duration_minutes = daily(connection, kDuration);
  data.favourite_habits = named(connection, kFavouriteHabits);
  {
    const auto result = connection.exec(kCategories);
    for (int row = 0; row < result.rows(); ++row) {
      data.categories.push_back(
          {text(result, row, 0), number_or_zero(result, row, 1), number(result, row, 2)});
    }
  }
  {
    const auto result = connection.exec(kReferrals);
    for (int row = 0; row < result.rows(); ++row) {
      if (const auto month = parse_iso_date(result.get(row, 0))) {
        data.referrals.push_back({*month, text(result, row, 1), number_or_zero(result, row, 2)});
      }
    }
  }
  {
    const auto result = connection.exec(kFunnel);
    for (int row = 0; row < result.rows(); ++row) {
      FunnelRow funnel;
      funnel.source = text(result, row, 0);
      funnel.channel = text(result, row, 1);
      funnel.ad_spend = number(result, row, 2);
      funnel.impressions = number(result, row, 3);
      funnel.clicks = number(result, row, 4);
      funnel.leads = number(result, row, 5);
      funnel.revenue = number(result, row, 6);
      funnel.ctr = number(result, row, 7);
      funnel.lead_rate = number(result, row, 8);
      funnel.cost_per_lead = number(result, row, 9);
      funnel.roas = number(result, row, 10);
      data.funnel.push_back(std::move(funnel));
    }
  }
  data.titles_by_pdl_count = named(connection, kTitlesByPdl);
  data.titles_by_related_count = named(connection, kTitlesByRelated);
  {
    const auto result = connection.exec(kTeams);
    for (int row = 0; row < result.rows(); ++row) {
      TeamRow team;
      team.team = text(result, row, 0);
      team.priority = text(result, row, 1);
      team.cases = number_or_zero(result, row, 2);
      team.avg_hours_to_assign = number(result, row, 3);
      team.avg_hours_to_response = number(result, row, 4);
      team.avg_hours_to_resolve = number(result, row, 5);
      team.assign_sla_hours = number(result, row, 6);
      team.response_sla_hours = number(result, row, 7);
      team.resolve_sla_hours = number(result, row, 8);
      team.pct_assigned_within_sla = number(result, row, 9);
      data.teams.push_back(std::move(team));
    }
  }
  return data;
}

}  // namespace dp::analysis
