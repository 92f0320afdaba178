#include "core/db/status_report.hpp"

#include <chrono>

#include <pqxx/pqxx>

#include "core/csv/utf8.hpp"
#include "core/watch/name_filter.hpp"

namespace dp::db {
namespace fs = std::filesystem;
namespace {

constexpr int kRecentFiles = 20;
constexpr int kFailures = 20;

FileSummary file_from(const pqxx::row& row) {
  FileSummary file;
  file.file_id = row["file_id"].as<std::int64_t>();
  file.name = row["original_name"].as<std::string>();
  file.pipeline = row["pipeline"].is_null() ? "" : row["pipeline"].as<std::string>();
  file.status = row["status"].as<std::string>();
  file.rows_loaded = row["rows_loaded"].as<std::int64_t>();
  file.rows_rejected = row["rows_rejected"].as<std::int64_t>();
  file.started_at = row["started"].as<std::string>();
  if (!row["seconds"].is_null()) {
    file.seconds = row["seconds"].as<double>();
  }
  file.error = row["error"].is_null() ? "" : row["error"].as<std::string>();
  file.replica = row["replica"].is_null() ? "" : row["replica"].as<std::string>();
  return file;
}

constexpr const char* kFileColumns =
    "file_id, original_name, pipeline, status, rows_loaded, rows_rejected, "
    "to_char(started_at, 'YYYY-MM-DD HH24:MI:SSOF') AS started, "
    "extract(epoch FROM finished_at - started_at)::float8 AS seconds, error";
/// The ledger's replica column, or NULL on a database from before migration V009.
std::string replica_column(bool recorded) {
  return recorded ? ", replica_id AS replica" : ", NULL::text AS replica";
}

std::vector<ReplicaSummary> recent_replicas(pqxx::work& work) {
  std::vector<ReplicaSummary> replicas;
  const auto rows = work.exec_params(
      "SELECT replica_id, host, pid, to_char(started_at, 'YYYY-MM-DD HH24:MI:SSOF'), "
      "extract(epoch FROM now() - last_seen)::float8, stopped_at IS NOT NULL, files_read, "
      "ARRAY(SELECT jsonb_array_elements_text(claimed)) FROM ingest.replicas "
      "WHERE last_seen > now() - make_interval(mins => $1) ORDER BY last_seen DESC, replica_id",
      kReplicaWindowMinutes);
  for (const auto& row : rows) {
    ReplicaSummary replica;
    replica.replica_id = row[0].as<std::string>();
    replica.host = row[1].as<std::string>();
    replica.pid = row[2].as<std::int64_t>();
    replica.started_at = row[3].as<std::string>();
    replica.seconds_since_seen = row[4].as<double>();
    replica.stopped = row[5].as<bool>();
    replica.files_read = row[6].as<std::int64_t>();
    auto names = row[7].as_array();
    for (auto item = names.get_next(); item.first != pqxx::array_parser::juncture::done;
         item = names.get_next()) {
      if (item.first == pqxx::array_parser::juncture::string_value) {
        replica.claimed.push_back(item.second);
      }
    }
    replicas.push_back(std::move(replica));
  }
  return replicas;
}

std::vector<WaitingFile> waiting_files(const fs::path& imports_dir) {
  std::vector<WaitingFile> waiting;
  std::error_code error;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(imports_dir, error)) {
    const auto name = entry.path().filename().string();
    std::error_code entry_error;
    if (watch::is_ignored_name(name) || !entry.is_regular_file(entry_error)) {
      continue;
    }
    WaitingFile file;
    file.name = csv::escape_invalid_utf8(name);
    file.size_bytes = entry.file_size(entry_error);
    file.age_seconds =
        std::chrono::duration<double>(now - entry.last_write_time(entry_error)).count();
    waiting.push_back(file);
  }
  return waiting;
}

std::optional<WarehouseRunSummary> last_run(pqxx::work& work, const std::string& dw_schema) {
  const auto runs = work.quote_name(dw_schema) + ".etl_runs";
  const auto exists = work.exec_params1("SELECT to_regclass($1) IS NOT NULL", runs);
  if (!exists[0].as<bool>()) {
    return std::nullopt;
  }
  const auto result = work.exec(
      "SELECT batch_id, mode, status, to_char(started_at, 'YYYY-MM-DD HH24:MI:SSOF') AS started, "
      "extract(epoch FROM finished_at - started_at)::float8 AS seconds, files, error FROM " +
      runs + " ORDER BY batch_id DESC LIMIT 1");
  if (result.empty()) {
    return std::nullopt;
  }
  const auto& row = result[0];
  WarehouseRunSummary run;
  run.batch_id = row["batch_id"].as<std::int64_t>();
  run.mode = row["mode"].as<std::string>();
  run.status = row["status"].as<std::string>();
  run.started_at = row["started"].as<std::string>();
  if (!row["seconds"].is_null()) {
    run.seconds = row["seconds"].as<double>();
  }
  run.files = row["files"].as<std::int64_t>();
  run.error = row["error"].is_null() ? "" : row["error"].as<std::string>();
  const auto counts = work.exec_params(
      "SELECT subject, target, staging_rows, inserted, updated, deleted, unplaced, "
      "coalesce(reason, '') FROM " +
          work.quote_name(dw_schema) +
          ".etl_reconciliation WHERE batch_id = $1 "
          "ORDER BY subject, target",
      run.batch_id);
  for (const auto& count : counts) {
    run.reconciliation.push_back({count[0].as<std::string>(), count[1].as<std::string>(),
                                  count[2].as<std::int64_t>(), count[3].as<std::int64_t>(),
                                  count[4].as<std::int64_t>(), count[5].as<std::int64_t>(),
                                  count[6].as<std::int64_t>(), count[7].as<std::string>()});
  }
  return run;
}

}  // namespace

StatusReport collect_status(pqxx::connection& connection, const std::string& dw_schema,
                            const fs::path& imports_dir) {
  StatusReport report;
  pqxx::work work(connection);
  const bool replicas_recorded =
      work.exec("SELECT to_regclass('ingest.replicas') IS NOT NULL")[0][0].as<bool>();
  const auto columns = std::string(kFileColumns) + replica_column(replicas_recorded);
  for (const auto& row : work.exec(
           "SELECT status, count(*) FROM ingest.files "
           "WHERE started_at > now() - interval '24 hours' GROUP BY status ORDER BY status")) {
    report.last_24h[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  }
  for (const auto& row :
       work.exec("SELECT " + columns + " FROM ingest.files ORDER BY file_id DESC LIMIT " +
                 std::to_string(kRecentFiles))) {
    report.recent.push_back(file_from(row));
  }
  for (const auto& row :
       work.exec("SELECT " + columns +
                 " FROM ingest.files WHERE status = 'failed' ORDER BY file_id DESC LIMIT " +
                 std::to_string(kFailures))) {
    report.failures.push_back(file_from(row));
  }
  report.last_run = last_run(work, dw_schema);
  if (replicas_recorded) {
    report.replicas = recent_replicas(work);
  }
  std::map<std::string, std::string> reasons;
  for (const auto& row : work.exec("SELECT name, reason FROM ingest.waiting")) {
    reasons[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  work.commit();
  report.waiting = waiting_files(imports_dir);
  for (auto& file : report.waiting) {
    if (const auto found = reasons.find(file.name); found != reasons.end()) {
      file.reason = found->second;
    }
  }
  return report;
}

}  // namespace dp::db
