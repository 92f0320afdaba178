#include "core/warehouse/run_report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace dp::warehouse {
namespace {

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:.2f} s", static_cast<double>(duration.count()) / 1000.0);
}

/// `text` with every line (the database's message may carry CONTEXT lines) indented.
std::string indented(const std::string& text, std::size_t indent) {
  const std::string pad(indent, ' ');
  std::string out = pad;
  for (const char c : text) {
    out += c;
    if (c == '\n') {
      out += pad;
    }
  }
  return out;
}

/// Per-subject totals over the subject's tables.
struct SubjectTotals {
  std::int64_t staging_rows = 0;
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  std::int64_t unplaced = 0;
};

void append_steps(std::string& out, const RunReport& report) {
  std::size_t width = 4;
  for (const auto& step : report.steps) {
    width = std::max(width, step.name.size());
  }
  out += fmt::format("  {:<{}}  {:<9}  {:>8}  {:>10}  {:>12}\n", "step", width, "status",
                     "attempts", "duration", "rows");
  for (const auto& step : report.steps) {
    const std::string rows = step.rows_affected ? std::to_string(*step.rows_affected) : "-";
    const std::string attempts = step.attempts > 0 ? std::to_string(step.attempts) : "-";
    const std::string duration = step.status == "skipped" ? "-" : seconds(step.duration);
    out += fmt::format("  {:<{}}  {:<9}  {:>8}  {:>10}  {:>12}\n", step.name, width, step.status,
                       attempts, duration, rows);
    if (!step.error.empty() && step.status != "succeeded") {
      out += indented(step.error, width + 4) + "\n";
    }
  }
}

void append_reconciliation(std::string& out, const RunReport& report) {
  if (report.reconciliation.empty()) {
    out += "reconciliation: nothing recorded\n";
    return;
  }
  std::map<std::string, SubjectTotals> totals;
  std::size_t width = 6;
  for (const auto& row : report.reconciliation) {
    auto& subject = totals[row.subject];
    subject.staging_rows += row.staging_rows;
    subject.inserted += row.inserted;
    subject.updated += row.updated;
    subject.deleted += row.deleted;
    subject.unplaced += row.unplaced;
    width = std::max(width, row.target.size() + 2);
    width = std::max(width, row.subject.size());
  }
  out += fmt::format("reconciliation:\n  {:<{}}  {:>12}  {:>10}  {:>10}  {:>10}  {:>10}\n",
                     "subject / table", width, "staging rows", "inserted", "updated", "deleted",
                     "unplaced");
  for (const auto& [subject, sum] : totals) {
    out += fmt::format("  {:<{}}  {:>12}  {:>10}  {:>10}  {:>10}  {:>10}\n", subject, width,
                       sum.staging_rows, sum.inserted, sum.updated, sum.deleted, sum.unplaced);
    for (const auto& row : report.reconciliation) {
      if (row.subject != subject) {
        continue;
      }
      out += fmt::format("  {:<{}}  {:>12}  {:>10}  {:>10}  {:>10}  {:>10}\n", "  " + row.target,
                         width, row.staging_rows, row.inserted, row.updated, row.deleted,
                         row.unplaced);
      if (row.unplaced > 0 && !row.reason.empty()) {
        out += fmt::format("  {:<{}}  unplaced: {}\n", "", width, row.reason);
      }
    }
  }
}

}  // namespace

const char* to_string(RunMode mode) {
  return mode == RunMode::kFull ? "full" : "incremental";
}

std::string format_run_report(const RunReport& report) {
  std::string out = fmt::format(
      "pipeline run {} ({}): {} in {}, {} ledger file{}\n", report.batch_id, report.mode,
      report.status, seconds(report.duration), report.files, report.files == 1 ? "" : "s");
  append_steps(out, report);
  append_reconciliation(out, report);
  if (!report.error.empty()) {
    out += fmt::format("error: {}\n", report.error);
  }
  return out;
}

}  // namespace dp::warehouse
