#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dp::warehouse {

/// What a run takes from the ledger: the files loaded since the last successful run, or all of
/// them (and the warehouse is emptied first).
enum class RunMode { kIncremental, kFull };

/// The name etl_runs.mode and dp.run_mode use.
const char* to_string(RunMode mode);

/// One step of a run as the summary and --status show it.
struct StepReport {
  std::string name;
  /// `succeeded`, `failed`, `skipped` (or `running` for a run still in progress).
  std::string status;
  int attempts = 0;
  std::chrono::milliseconds duration{0};
  std::optional<std::int64_t> rows_affected;
  std::string error;
};

/// What a step did to one warehouse table (etl_reconciliation), so a user can see where every
/// staging row went.
struct ReconciliationRow {
  std::string subject;
  std::string target;
  std::int64_t staging_rows = 0;
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  std::int64_t unplaced = 0;
  /// Why rows were unplaced; empty when none were.
  std::string reason;
};

/// A run (batch) from start to end: printed after --pipeline, and by --status for the last run.
struct RunReport {
  std::int64_t batch_id = 0;
  std::string mode;
  /// `running`, `succeeded` or `failed`.
  std::string status;
  /// Ledger files the batch took.
  std::int64_t files = 0;
  std::chrono::milliseconds duration{0};
  /// When the run started, as the database prints it (empty when unknown).
  std::string started_at;
  /// The run's error: the failed steps with the database's message.
  std::string error;
  std::vector<StepReport> steps;
  std::vector<ReconciliationRow> reconciliation;

  bool succeeded() const { return status == "succeeded"; }
};

/// The summary printed at the end of a run: one line per step (status, attempts, duration,
/// rows) and the reconciliation counts per subject and table.
std::string format_run_report(const RunReport& report);

}  // namespace dp::warehouse
