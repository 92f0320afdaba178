#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <pqxx/connection>

#include "core/warehouse/run_report.hpp"
#include "core/warehouse/step_manifest.hpp"
#include "core/warehouse/step_scheduler.hpp"

namespace dp::warehouse {

/// The parameters every step of one run sees.
struct StepContext {
  /// libpq connection string (secret; never logged).
  std::string conninfo;
  /// `"<dw_schema>", "<staging_schema>", ingest, public`, identifiers already quoted.
  std::string search_path;
  std::int64_t batch_id = 0;
  RunMode mode = RunMode::kIncremental;
};

/// One scheduler slot's database connection. It runs a step in its own transaction with the
/// run's search_path, dp.batch_id and dp.run_mode set as bound values (set_config(..., true)),
/// records the step's success inside that same transaction, and reconnects after a lost
/// connection. Used from one thread at a time.
class StepConnection {
 public:
  explicit StepConnection(const StepContext& context) : context_(context) {}

  /// One attempt at `step`. Never throws: errors become a failed AttemptResult whose
  /// `transient` says whether db::classify_exception allows a retry.
  AttemptResult run(const StepSpec& step);

  /// The server process of the current connection (0 when not connected), so tests can
  /// terminate it.
  int backend_pid() const;

 private:
  pqxx::connection& connect();
  /// After a commit whose outcome is unknown: whether the step's success row committed.
  AttemptResult resolve_in_doubt(const StepSpec& step, const std::string& error);

  const StepContext& context_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace dp::warehouse
