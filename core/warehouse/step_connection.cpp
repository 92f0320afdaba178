#include "core/warehouse/step_connection.hpp"

#include <chrono>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "core/db/pg_error.hpp"

namespace dp::warehouse {
namespace {

/// The run contract every step relies on (docs/pipeline-runner.md): transaction-local
/// search_path and dp.* settings, bound, never pasted into SQL.
constexpr const char* kStepSettings =
    "SELECT set_config('search_path', $1, true), set_config('dp.batch_id', $2, true), "
    "set_config('dp.run_mode', $3, true)";
/// Written inside the step's transaction, so "succeeded" and the step's work commit together.
constexpr const char* kRecordSuccess =
    "SELECT etl_step_end($1, $2, 'succeeded', $3, $4::bigint, NULL)";
constexpr const char* kStepStatus =
    "SELECT status, rows_affected FROM etl_run_steps WHERE batch_id = $1 AND step = $2";

/// The database's message without libpq's trailing newline, with the SQLSTATE when known.
std::string error_text(const std::exception& error) {
  std::string text = error.what();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
      sql != nullptr && !sql->sqlstate().empty()) {
    text += fmt::format(" (SQLSTATE {})", sql->sqlstate());
  } else if (dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr) {
    text += " (SQLSTATE 40001)";
  } else if (dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr) {
    text += " (SQLSTATE 40P01)";
  }
  return text;
}

/// Whether another attempt may succeed. libpqxx 6.4 throws serialization failures and deadlocks
/// as pqxx::transaction_rollback, which is not an sql_error and carries no SQLSTATE, so
/// db::classify_exception cannot see them; the whole class 40 means "the server rolled the
/// transaction back, try again".
bool is_transient(const std::exception& error) {
  return dynamic_cast<const pqxx::transaction_rollback*>(&error) != nullptr ||
         db::classify_exception(error) == db::ErrorClass::kRetry;
}

/// What the step says it did: its last statement's single value (the step contract ends every
/// file with `SELECT ... AS rows_affected`), else the rows the last command touched.
std::optional<std::int64_t> rows_affected(const pqxx::result& last) {
  if (last.columns() >= 1 && last.size() == 1 && !last[0][0].is_null()) {
    std::int64_t value = 0;
    try {
      if (last[0][0].to(value)) {
        return value;
      }
    } catch (const std::exception&) {
      return std::nullopt;  // a last value that is not a count (e.g. a void function's result)
    }
  }
  if (last.columns() == 0) {
    return static_cast<std::int64_t>(last.affected_rows());
  }
  return std::nullopt;
}

}  // namespace

pqxx::connection& StepConnection::connect() {
  if (!connection_ || !connection_->is_open()) {
    connection_.reset();
    connection_ = std::make_unique<pqxx::connection>(context_.conninfo);
  }
  return *connection_;
}

int StepConnection::backend_pid() const {
  return connection_ && connection_->is_open() ? connection_->backendpid() : 0;
}

AttemptResult StepConnection::run(const StepSpec& step) {
  try {
    auto& connection = connect();
    pqxx::work work(connection);
    work.exec_params(kStepSettings, context_.search_path, std::to_string(context_.batch_id),
                     to_string(context_.mode));
    const auto started = std::chrono::steady_clock::now();
    const pqxx::result last = work.exec(step.sql);
    const auto rows = rows_affected(last);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    const std::string rows_text = rows ? std::to_string(*rows) : std::string();
    work.exec_params(kRecordSuccess, context_.batch_id, step.name,
                     static_cast<std::int64_t>(elapsed.count()),
                     rows ? rows_text.c_str() : nullptr);
    try {
      work.commit();
    } catch (const pqxx::in_doubt_error& error) {
      return resolve_in_doubt(step, error_text(error));
    }
    return AttemptResult{true, rows, {}, false};
  } catch (const std::exception& error) {
    const bool transient = is_transient(error);
    if (transient) {
      // A transient error may have broken the connection in ways is_open() cannot see yet;
      // the next attempt starts from a fresh one.
      connection_.reset();
    }
    return AttemptResult{false, std::nullopt, error_text(error), transient};
  }
}

AttemptResult StepConnection::resolve_in_doubt(const StepSpec& step, const std::string& error) {
  connection_.reset();
  try {
    auto& connection = connect();
    pqxx::work work(connection);
    work.exec_params("SELECT set_config('search_path', $1, true)", context_.search_path);
    const auto rows = work.exec_params(kStepStatus, context_.batch_id, step.name);
    work.commit();
    if (!rows.empty() && rows[0][0].as<std::string>() == "succeeded") {
      std::optional<std::int64_t> affected;
      if (!rows[0][1].is_null()) {
        affected = rows[0][1].as<std::int64_t>();
      }
      return AttemptResult{true, affected, {}, false};
    }
    // Nothing committed: repeating the step is safe.
    return AttemptResult{false, std::nullopt, error, true};
  } catch (const std::exception& lookup_error) {
    connection_.reset();
    return AttemptResult{
        false, std::nullopt,
        fmt::format("the commit's outcome is unknown ({}) and could not be checked ({}); the "
                    "next run takes this batch's files again",
                    error, error_text(lookup_error)),
        false};
  }
}

}  // namespace dp::warehouse
