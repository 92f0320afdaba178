#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "core/warehouse/run_report.hpp"
#include "core/warehouse/step_scheduler.hpp"

namespace dp::warehouse {

/// The run's rows in etl_runs / etl_run_steps / etl_batch_files, written through the functions
/// migration V002 defines, on the run's control connection and outside the steps'
/// transactions, so a failed step or run still leaves its record.
class RunBookkeeping {
 public:
  /// Sets the session's search_path to `search_path` (the service's warehouse path).
  RunBookkeeping(pqxx::connection& control, const std::string& search_path);

  /// Creates the run row and fills the batch's file set (etl_begin_run); returns the batch id.
  /// Call only while holding the pipeline lock.
  std::int64_t begin_run(RunMode mode);
  /// Ledger files the batch took.
  std::int64_t batch_files(std::int64_t batch_id);
  /// Records an attempt starting (a retry bumps the attempt count).
  void step_begin(std::int64_t batch_id, const std::string& step);
  /// Records a failed or skipped step; a succeeded step records itself inside its own
  /// transaction (see StepConnection), so its row and its work commit together.
  void step_end(std::int64_t batch_id, const std::string& step, const StepOutcome& outcome);
  /// Marks the run succeeded or failed; `error` names the failed steps.
  void finish_run(std::int64_t batch_id, bool succeeded, const std::string& error);
  /// The reconciliation rows the run's steps wrote, by subject and table.
  std::vector<ReconciliationRow> reconciliation(std::int64_t batch_id);

 private:
  pqxx::connection& control_;
};

/// A run as recorded in the database (steps, counts, reconciliation): what --status shows.
/// Without `batch_id`, the newest run; nothing when there is none. `search_path` is the
/// service's warehouse path (db::service_search_path).
std::optional<RunReport> read_run_report(pqxx::connection& connection,
                                         const std::string& search_path,
                                         std::optional<std::int64_t> batch_id = std::nullopt);

}  // namespace dp::warehouse
