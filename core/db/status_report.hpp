#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace dp::db {

/// One ledger row as `--status` shows it.
struct FileSummary {
  std::int64_t file_id = 0;
  std::string name;
  std::string pipeline;
  std::string status;
  std::int64_t rows_loaded = 0;
  std::int64_t rows_rejected = 0;
  std::string started_at;
  std::optional<double> seconds;
  std::string error;
  /// The replica that decided it (empty for rows from before replicas were recorded).
  std::string replica;
};

/// A replica seen lately (ingest.replicas), with the files it holds a claim on.
struct ReplicaSummary {
  std::string replica_id;
  std::string host;
  std::int64_t pid = 0;
  std::string started_at;
  double seconds_since_seen = 0;
  /// Whether it said it stopped; a replica that vanished without saying so just ages.
  bool stopped = false;
  std::int64_t files_read = 0;
  std::vector<std::string> claimed;
};

/// A file waiting in imports/ (not yet taken, or not complete).
struct WaitingFile {
  /// Escaped (`\xFF` for an invalid byte), as the ledger stores names.
  std::string name;
  /// Why the watch service keeps retrying it (empty when it is simply not taken yet).
  std::string reason;
  std::uint64_t size_bytes = 0;
  double age_seconds = 0;
};

/// Per-target counts of one warehouse run.
struct ReconciliationRow {
  std::string subject;
  std::string target;
  std::int64_t staging_rows = 0;
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  std::int64_t unplaced = 0;
  std::string reason;
};

/// The last warehouse run, if the warehouse tables exist and a run happened.
struct WarehouseRunSummary {
  std::int64_t batch_id = 0;
  std::string mode;
  std::string status;
  std::string started_at;
  std::optional<double> seconds;
  std::int64_t files = 0;
  std::string error;
  std::vector<ReconciliationRow> reconciliation;
};

/// What `--status` reports: read from the ledger so an operator needs no SQL.
struct StatusReport {
  /// Outcome → number of files decided in the last 24 hours.
  std::map<std::string, std::int64_t> last_24h;
  std::vector<FileSummary> recent;
  std::vector<FileSummary> failures;
  std::vector<WaitingFile> waiting;
  std::optional<WarehouseRunSummary> last_run;
  /// Replicas seen in the last kReplicaWindowMinutes minutes, most recently seen first.
  std::vector<ReplicaSummary> replicas;
};

/// How far back --status looks for replicas.
inline constexpr int kReplicaWindowMinutes = 10;

/// Collects the report. `dw_schema` locates the warehouse run tables; `imports_dir` is listed
/// for files still waiting (hidden and temporary names are skipped).
StatusReport collect_status(pqxx::connection& connection, const std::string& dw_schema,
                            const std::filesystem::path& imports_dir);

}  // namespace dp::db
