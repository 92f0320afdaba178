#include "core/warehouse/run_bookkeeping.hpp"

#include <pqxx/pqxx>

namespace dp::warehouse {
namespace {

/// Statements of the run's bookkeeping; the functions are defined by migration V002 and found
/// through the search_path, every value is bound.
constexpr const char* kSetSearchPath = "SELECT set_config('search_path', $1, false)";
constexpr const char* kBeginRun = "SELECT etl_begin_run($1)";
constexpr const char* kBatchFiles = "SELECT files FROM etl_runs WHERE batch_id = $1";
constexpr const char* kStepBegin = "SELECT etl_step_begin($1, $2)";
constexpr const char* kStepEnd = "SELECT etl_step_end($1, $2, $3, $4::bigint, $5::bigint, $6)";
constexpr const char* kFinishRun = "SELECT etl_finish_run($1, $2, $3)";
constexpr const char* kReconciliation =
    "SELECT subject, target, staging_rows, inserted, updated, deleted, unplaced, "
    "coalesce(reason, '') FROM etl_reconciliation WHERE batch_id = $1 ORDER BY subject, target";
constexpr const char* kRunRow =
    "SELECT batch_id, mode, status, files, coalesce(error, ''), "
    "(extract(epoch FROM coalesce(finished_at, clock_timestamp()) - started_at) * 1000)::bigint, "
    "started_at::text "
    "FROM etl_runs WHERE batch_id = coalesce($1::bigint, (SELECT max(batch_id) FROM etl_runs))";
constexpr const char* kStepRows =
    "SELECT step, status, attempts, coalesce(duration_ms, 0), rows_affected, coalesce(error, '') "
    "FROM etl_run_steps WHERE batch_id = $1 ORDER BY started_at NULLS LAST, step";

/// libpqxx 6.4 binds NULL from a null `const char*` only; optional values travel as text.
const char* text_or_null(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

std::optional<std::string> optional_text(const std::optional<std::int64_t>& value) {
  return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
}

std::optional<std::int64_t> optional_int(const pqxx::field& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  return field.as<std::int64_t>();
}

std::vector<ReconciliationRow> read_reconciliation(pqxx::connection& connection,
                                                   std::int64_t batch_id) {
  pqxx::nontransaction work(connection);
  std::vector<ReconciliationRow> rows;
  for (const auto& row : work.exec_params(kReconciliation, batch_id)) {
    rows.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                    row[3].as<std::int64_t>(), row[4].as<std::int64_t>(), row[5].as<std::int64_t>(),
                    row[6].as<std::int64_t>(), row[7].as<std::string>()});
  }
  return rows;
}

}  // namespace

RunBookkeeping::RunBookkeeping(pqxx::connection& control, const std::string& search_path)
    : control_(control) {
  pqxx::nontransaction(control_).exec_params(kSetSearchPath, search_path);
}

std::int64_t RunBookkeeping::begin_run(RunMode mode) {
  pqxx::work work(control_);
  const auto batch = work.exec_params1(kBeginRun, to_string(mode))[0].as<std::int64_t>();
  work.commit();
  return batch;
}

std::int64_t RunBookkeeping::batch_files(std::int64_t batch_id) {
  pqxx::nontransaction work(control_);
  return work.exec_params1(kBatchFiles, batch_id)[0].as<std::int64_t>();
}

void RunBookkeeping::step_begin(std::int64_t batch_id, const std::string& step) {
  pqxx::nontransaction(control_).exec_params(kStepBegin, batch_id, step);
}

void RunBookkeeping::step_end(std::int64_t batch_id, const std::string& step,
                              const StepOutcome& outcome) {
  const bool skipped = outcome.status == StepStatus::kSkipped;
  const auto duration = skipped ? std::nullopt : optional_text(outcome.duration.count());
  const auto rows = optional_text(outcome.rows_affected);
  const auto error =
      outcome.error.empty() ? std::nullopt : std::optional<std::string>(outcome.error);
  pqxx::nontransaction(control_).exec_params(kStepEnd, batch_id, step, to_string(outcome.status),
                                             text_or_null(duration), text_or_null(rows),
                                             text_or_null(error));
}

void RunBookkeeping::finish_run(std::int64_t batch_id, bool succeeded, const std::string& error) {
  const std::optional<std::string> message =
      error.empty() ? std::nullopt : std::optional<std::string>(error);
  pqxx::nontransaction(control_).exec_params(
      kFinishRun, batch_id, succeeded ? "succeeded" : "failed", text_or_null(message));
}

std::vector<ReconciliationRow> RunBookkeeping::reconciliation(std::int64_t batch_id) {
  return read_reconciliation(control_, batch_id);
}

std::optional<RunReport> read_run_report(pqxx::connection& connection,
                                         const std::string& search_path,
                                         std::optional<std::int64_t> batch_id) {
  RunReport report;
  {
    pqxx::work work(connection);
    work.exec_params("SELECT set_config('search_path', $1, true)", search_path);
    const auto runs = work.exec_params(kRunRow, text_or_null(optional_text(batch_id)));
    if (runs.empty()) {
      return std::nullopt;
    }
    const auto& run = runs[0];
    report.batch_id = run[0].as<std::int64_t>();
    report.mode = run[1].as<std::string>();
    report.status = run[2].as<std::string>();
    report.files = run[3].as<std::int64_t>();
    report.error = run[4].as<std::string>();
    report.duration = std::chrono::milliseconds(run[5].as<std::int64_t>());
    report.started_at = run[6].as<std::string>();
    for (const auto& row : work.exec_params(kStepRows, report.batch_id)) {
      report.steps.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int>(),
                              std::chrono::milliseconds(row[3].as<std::int64_t>()),
                              optional_int(row[4]), row[5].as<std::string>()});
    }
    std::vector<ReconciliationRow> rows;
    for (const auto& row : work.exec_params(kReconciliation, report.batch_id)) {
      rows.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                      row[3].as<std::int64_t>(), row[4].as<std::int64_t>(),
                      row[5].as<std::int64_t>(), row[6].as<std::int64_t>(),
                      row[7].as<std::string>()});
    }
    report.reconciliation = std::move(rows);
    work.commit();
  }
  return report;
}

}  // namespace dp::warehouse
