#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmd/database_session.hpp"
#include "cmd/modes.hpp"
#include "core/db/status_report.hpp"

namespace dp::cmd {
namespace {

nlohmann::json file_json(const db::FileSummary& file) {
  return {
      {"file_id", file.file_id},
      {"name", file.name},
      {"kind", file.pipeline.empty() ? nlohmann::json(nullptr) : nlohmann::json(file.pipeline)},
      {"outcome", file.status},
      {"rows_loaded", file.rows_loaded},
      {"rows_rejected", file.rows_rejected},
      {"started_at", file.started_at},
      {"seconds", file.seconds ? nlohmann::json(*file.seconds) : nlohmann::json(nullptr)},
      {"error", file.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(file.error)},
      {"replica", file.replica.empty() ? nlohmann::json(nullptr) : nlohmann::json(file.replica)}};
}

nlohmann::json report_json(const db::StatusReport& report) {
  nlohmann::json json;
  json["last_24h"] = report.last_24h;
  json["recent_files"] = nlohmann::json::array();
  for (const auto& file : report.recent) {
    json["recent_files"].push_back(file_json(file));
  }
  json["failures"] = nlohmann::json::array();
  for (const auto& file : report.failures) {
    json["failures"].push_back(file_json(file));
  }
  json["waiting"] = nlohmann::json::array();
  for (const auto& file : report.waiting) {
    json["waiting"].push_back(
        {{"name", file.name},
         {"size_bytes", file.size_bytes},
         {"age_seconds", file.age_seconds},
         {"reason", file.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(file.reason)}});
  }
  json["replicas"] = nlohmann::json::array();
  for (const auto& replica : report.replicas) {
    json["replicas"].push_back({{"replica_id", replica.replica_id},
                                {"host", replica.host},
                                {"pid", replica.pid},
                                {"started_at", replica.started_at},
                                {"seconds_since_seen", replica.seconds_since_seen},
                                {"stopped", replica.stopped},
                                {"files_read", replica.files_read},
                                {"claimed", replica.claimed}});
  }
  if (report.last_run) {
    const auto& run = *report.last_run;
    nlohmann::json counts = nlohmann::json::array();
    for (const auto& row : run.reconciliation) {
      counts.push_back(
          {{"subject", row.subject},
           {"target", row.target},
           {"staging_rows", row.staging_rows},
           {"inserted", row.inserted},
           {"updated", row.updated},
           {"deleted", row.deleted},
           {"unplaced", row.unplaced},
           {"reason", row.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.reason)}});
    }
    json["last_warehouse_run"] = {
        {"batch_id", run.batch_id},
        {"mode", run.mode},
        {"status", run.status},
        {"started_at", run.started_at},
        {"seconds", run.seconds ? nlohmann::json(*run.seconds) : nlohmann::json(nullptr)},
        {"files", run.files},
        {"error", run.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(run.error)},
        {"reconciliation", counts}};
  } else {
    json["last_warehouse_run"] = nullptr;
  }
  return json;
}

std::string seconds_text(const std::optional<double>& seconds) {
  return seconds ? fmt::format("{:.2f}s", *seconds) : std::string("-");
}

void print_text(const db::StatusReport& report) {
  std::cout << "Files in the last 24 hours:";
  if (report.last_24h.empty()) {
    std::cout << " none";
  }
  for (const auto& [status, count] : report.last_24h) {
    std::cout << fmt::format(" {} {}", count, status);
  }
  std::cout << "\n\nLast files:\n";
  if (report.recent.empty()) {
    std::cout << "  (none yet)\n";
  } else {
    std::cout << fmt::format("  {:>6}  {:<32} {:<18} {:<10} {:>10} {:>8}  {:<25} {:>8}  {}\n", "id",
                             "name", "kind", "outcome", "rows", "rejects", "when", "took",
                             "replica");
  }
  for (const auto& file : report.recent) {
    std::cout << fmt::format("  {:>6}  {:<32} {:<18} {:<10} {:>10} {:>8}  {:<25} {:>8}  {}\n",
                             file.file_id, file.name, file.pipeline.empty() ? "-" : file.pipeline,
                             file.status, file.rows_loaded, file.rows_rejected, file.started_at,
                             seconds_text(file.seconds), file.replica.empty() ? "-" : file.replica);
  }
  std::cout << "\nFailures:\n";
  if (report.failures.empty()) {
    std::cout << "  (none)\n";
  }
  for (const auto& file : report.failures) {
    std::cout << fmt::format("  {} ({}): {}\n", file.name, file.started_at, file.error);
  }
  std::cout << "\nWaiting in imports/:";
  if (report.waiting.empty()) {
    std::cout << " none\n";
  } else {
    std::cout << "\n";
  }
  for (const auto& file : report.waiting) {
    std::cout << fmt::format("  {} ({} bytes, {:.0f}s old){}\n", file.name, file.size_bytes,
                             file.age_seconds,
                             file.reason.empty() ? "" : ": waiting, " + file.reason);
  }
  std::cout << fmt::format("\nReplicas seen in the last {} minutes:", db::kReplicaWindowMinutes);
  std::cout << (report.replicas.empty() ? " none\n" : "\n");
  for (const auto& replica : report.replicas) {
    std::cout << fmt::format(
        "  {} (host {}, pid {}, started {}): {}, {} files read, holds {}\n", replica.replica_id,
        replica.host, replica.pid, replica.started_at,
        replica.stopped ? "stopped" : fmt::format("seen {:.0f}s ago", replica.seconds_since_seen),
        replica.files_read,
        replica.claimed.empty() ? std::string("nothing")
                                : fmt::format("{}", fmt::join(replica.claimed, ", ")));
  }
  std::cout << "\nLast warehouse run: ";
  if (!report.last_run) {
    std::cout << "none\n";
    return;
  }
  const auto& run = *report.last_run;
  std::cout << fmt::format("batch {} ({}), {}, started {}, took {}, {} files\n", run.batch_id,
                           run.mode, run.status, run.started_at, seconds_text(run.seconds),
                           run.files);
  if (!run.error.empty()) {
    std::cout << "  error: " << run.error << "\n";
  }
  for (const auto& row : run.reconciliation) {
    std::cout << fmt::format(
        "  {:<16} {:<28} staging {:>9}  inserted {:>9}  updated {:>9}  deleted {:>7}  unplaced "
        "{:>7}{}\n",
        row.subject, row.target, row.staging_rows, row.inserted, row.updated, row.deleted,
        row.unplaced, row.reason.empty() ? "" : "  (" + row.reason + ")");
  }
}

}  // namespace

int run_status(const config::Settings& settings, const CommandLine& command_line) {
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  const auto report =
      db::collect_status(session.connection(), settings.dw_schema, settings.imports_dir);
  if (command_line.json) {
    std::cout << report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    print_text(report);
  }
  return kExitOk;
}

}  // namespace dp::cmd
