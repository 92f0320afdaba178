#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/warehouse/step_graph.hpp"

namespace dp::warehouse {

/// What one attempt at a step ended with; the step runner decides, the scheduler acts on it.
struct AttemptResult {
  bool succeeded = false;
  /// What the step reported (its final `rows_affected` row); absent when unknown.
  std::optional<std::int64_t> rows_affected;
  /// The database's error message when the attempt failed.
  std::string error;
  /// Whether trying again may help (lost connection, serialization failure, deadlock).
  bool transient = false;
};

/// Where a step stands; kPending only while the run is in progress.
enum class StepStatus { kPending, kSucceeded, kFailed, kSkipped };

/// Lower-case name as stored in etl_run_steps.status.
const char* to_string(StepStatus status);

/// The final word on one step of a run, for the bookkeeping and the summary.
struct StepOutcome {
  StepStatus status = StepStatus::kPending;
  /// Attempts made (0 for a skipped step).
  int attempts = 0;
  /// Wall time of the last attempt.
  std::chrono::milliseconds duration{0};
  std::optional<std::int64_t> rows_affected;
  /// The last attempt's error, or why the step was skipped.
  std::string error;
  /// When the last attempt started and finished (steady clock), to reason about overlap.
  std::chrono::steady_clock::time_point started_at;
  std::chrono::steady_clock::time_point finished_at;
};

/// How many steps may run at once and how transient failures are retried.
struct SchedulerOptions {
  /// Parallel slots; each slot is one thread that keeps its own database connection.
  std::size_t parallelism = 1;
  /// Attempts after the first one for transient failures.
  int retries = 0;
  /// Wait before each retry; other steps keep running meanwhile.
  std::chrono::milliseconds retry_delay{0};
};

/// Runs one attempt of `step` on `slot`'s thread (attempt counts from 1). It must not throw;
/// an exception that escapes counts as a non-transient failure with its message.
using AttemptFn = std::function<AttemptResult(std::size_t step, std::size_t slot, int attempt)>;

/// Calls back into the run's bookkeeping, always on the thread that called run_steps, so the
/// bookkeeping can use one connection without locks. Each may be empty.
struct SchedulerHooks {
  /// Before an attempt is handed to a slot.
  std::function<void(std::size_t step, int attempt)> before_attempt;
  /// After a transient failure that will be retried after the delay.
  std::function<void(std::size_t step, int attempt, const AttemptResult& result)> on_retry;
  /// When a step's outcome is final: succeeded, failed, or skipped because a dependency failed.
  std::function<void(std::size_t step, const StepOutcome& outcome)> on_outcome;
};

/// Runs the graph: a step starts once all its dependencies succeeded, independent steps run in
/// parallel on up to `parallelism` slots (lowest manifest index first), transient failures are
/// retried, and a failed step skips everything that depends on it while the rest finish.
/// Returns one outcome per step, by manifest index. An exception from a hook is rethrown once
/// the steps in flight have finished.
std::vector<StepOutcome> run_steps(const StepGraph& graph, const SchedulerOptions& options,
                                   const AttemptFn& attempt, const SchedulerHooks& hooks);

}  // namespace dp::warehouse
