#include "core/warehouse/pipeline_runner.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include "core/db/migrations.hpp"
#include "core/warehouse/part_table_statistics.hpp"
#include "core/warehouse/pipeline_lock.hpp"
#include "core/warehouse/run_bookkeeping.hpp"
#include "core/warehouse/step_connection.hpp"
#include "core/warehouse/step_graph.hpp"
#include "core/warehouse/step_manifest.hpp"
#include "core/warehouse/step_scheduler.hpp"

namespace dp::warehouse {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:.2f} s", static_cast<double>(duration.count()) / 1000.0);
}

/// "step fact_case failed: ERROR: ...; step x failed: ..." over the failed steps in manifest
/// order: what the run's error column and the exit message say.
std::string run_error(const StepGraph& graph, const std::vector<StepOutcome>& outcomes) {
  std::string error;
  for (std::size_t step = 0; step < outcomes.size(); ++step) {
    if (outcomes[step].status == StepStatus::kFailed) {
      if (!error.empty()) {
        error += "; ";
      }
      error += fmt::format("step {} failed: {}", graph.name(step), outcomes[step].error);
    }
  }
  return error;
}

/// Records the run as failed on a fresh connection after the control connection broke; the
/// next run would mark it abandoned anyway, so a failure here is only logged.
void record_abort(const PipelineOptions& options, const std::string& search_path,
                  std::int64_t batch_id, const std::string& error) {
  try {
    pqxx::connection connection(options.conninfo);
    RunBookkeeping bookkeeping(connection, search_path);
    bookkeeping.finish_run(batch_id, false, error);
  } catch (const std::exception& again) {
    spdlog::warn("could not record pipeline run {} as failed: {}", batch_id, again.what());
  }
}

std::vector<StepReport> step_reports(const StepGraph& graph,
                                     const std::vector<StepOutcome>& outcomes) {
  std::vector<StepReport> reports;
  for (std::size_t step = 0; step < outcomes.size(); ++step) {
    const auto& outcome = outcomes[step];
    reports.push_back({graph.name(step), to_string(outcome.status), outcome.attempts,
                       outcome.duration, outcome.rows_affected, outcome.error});
  }
  return reports;
}

}  // namespace

RunReport build_warehouse(const PipelineOptions& options) {
  const auto started = Clock::now();
  const StepManifest manifest = load_manifest(options.manifest);
  const StepGraph graph(manifest.steps);

  pqxx::connection control(options.conninfo);
  db::MigrationOptions schemas;
  schemas.staging_schema = options.staging_schema;
  schemas.dw_schema = options.dw_schema;
  const std::string search_path = db::service_search_path(control, schemas);
  RunBookkeeping bookkeeping(control, search_path);
  const PipelineLock lock(control, options.dw_schema, options.lock,
                          [](const std::string& message) { spdlog::info("{}", message); });

  RunReport report;
  report.mode = to_string(options.mode);
  report.batch_id = bookkeeping.begin_run(options.mode);
  report.files = bookkeeping.batch_files(report.batch_id);
  if (report.files > 0) {
    analyze_new_part_tables(control, options.staging_schema);
  }
  const std::size_t parallelism = std::max<std::size_t>(1, options.workers);
  spdlog::info("pipeline run {} ({}) started: {} ledger file(s), {} steps on up to {} connections",
               report.batch_id, report.mode, report.files, graph.size(), parallelism);
  if (options.on_started) {
    options.on_started(report.batch_id, report.files);
  }

  const StepContext context{options.conninfo, search_path, report.batch_id, options.mode};
  std::vector<std::unique_ptr<StepConnection>> slots;
  for (std::size_t slot = 0; slot < std::min(parallelism, graph.size()); ++slot) {
    slots.push_back(std::make_unique<StepConnection>(context));
  }
  const AttemptFn attempt = [&](std::size_t step, std::size_t slot, int) {
    return slots[slot]->run(manifest.steps[step]);
  };

  SchedulerHooks hooks;
  hooks.before_attempt = [&](std::size_t step, int attempt_no) {
    bookkeeping.step_begin(report.batch_id, graph.name(step));
    spdlog::debug("step {} started (attempt {})", graph.name(step), attempt_no);
  };
  hooks.on_retry = [&](std::size_t step, int attempt_no, const AttemptResult& result) {
    spdlog::warn("step {}: transient error on attempt {} of {}: {}; retrying in {}",
                 graph.name(step), attempt_no, options.retries + 1, result.error,
                 seconds_text(options.retry_delay));
  };
  hooks.on_outcome = [&](std::size_t step, const StepOutcome& outcome) {
    switch (outcome.status) {
      case StepStatus::kSucceeded:
        spdlog::info("step {} succeeded in {} ({} rows)", graph.name(step),
                     seconds_text(outcome.duration),
                     outcome.rows_affected ? std::to_string(*outcome.rows_affected) : "?");
        return;  // recorded inside the step's own transaction
      case StepStatus::kFailed:
        spdlog::error("step {} failed: {}", graph.name(step), outcome.error);
        break;
      case StepStatus::kSkipped:
        spdlog::warn("step {} skipped: {}", graph.name(step), outcome.error);
        break;
      case StepStatus::kPending:
        break;
    }
    bookkeeping.step_end(report.batch_id, graph.name(step), outcome);
  };

  SchedulerOptions scheduling;
  scheduling.parallelism = parallelism;
  scheduling.retries = options.retries;
  scheduling.retry_delay = options.retry_delay;
  std::vector<StepOutcome> outcomes;
  try {
    outcomes = run_steps(graph, scheduling, attempt, hooks);
  } catch (const std::exception& error) {
    const auto message = fmt::format("the run's bookkeeping failed: {}", error.what());
    record_abort(options, search_path, report.batch_id, message);
    throw;
  }

  report.error = run_error(graph, outcomes);
  const bool succeeded = report.error.empty();
  bookkeeping.finish_run(report.batch_id, succeeded, report.error);
  report.status = succeeded ? "succeeded" : "failed";
  report.steps = step_reports(graph, outcomes);
  report.reconciliation = bookkeeping.reconciliation(report.batch_id);
  report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  if (succeeded) {
    spdlog::info("pipeline run {} succeeded in {}", report.batch_id, seconds_text(report.duration));
  } else {
    spdlog::error("pipeline run {} failed: {}", report.batch_id, report.error);
  }
  return report;
}

}  // namespace dp::warehouse
