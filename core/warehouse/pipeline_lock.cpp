#include "core/warehouse/pipeline_lock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

namespace dp::warehouse {
namespace {

/// The lock key: a 64-bit hash of a fixed prefix and the warehouse schema, computed by the
/// server so every client agrees on it.
constexpr const char* kLockKey = "SELECT hashtextextended('dataprocessor pipeline ' || $1, 0)";
constexpr const char* kTryLock = "SELECT pg_try_advisory_lock($1::bigint)";
constexpr const char* kLock = "SELECT pg_advisory_lock($1::bigint)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock($1::bigint)";
/// A bigint advisory key is stored in pg_locks as classid (high half) and objid (low half).
constexpr const char* kHolder =
    "SELECT l.pid, coalesce(a.backend_start::text, '') "
    "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = (($1::bigint >> 32) & 4294967295)::oid "
    "AND l.objid = ($1::bigint & 4294967295)::oid";

std::int64_t lock_key(pqxx::connection& connection, const std::string& dw_schema) {
  pqxx::nontransaction work(connection);
  return work.exec_params1(kLockKey, dw_schema)[0].as<std::int64_t>();
}

/// The newest unfinished run of the warehouse, as "batch 12 (incremental, started ...)"; empty
/// when none is recorded yet (the holder may not have created its run row) or unreadable.
std::string running_batch(pqxx::connection& connection, const std::string& dw_schema) {
  try {
    pqxx::nontransaction work(connection);
    const auto rows = work.exec(
        "SELECT batch_id, mode, started_at::text FROM " + connection.quote_name(dw_schema) +
        ".etl_runs WHERE status = 'running' ORDER BY batch_id DESC LIMIT 1");
    if (rows.empty()) {
      return {};
    }
    return fmt::format("batch {} ({}, started {})", rows[0][0].as<std::string>(),
                       rows[0][1].as<std::string>(), rows[0][2].as<std::string>());
  } catch (const pqxx::sql_error&) {
    return {};
  }
}

}  // namespace

std::string describe_lock_holder(pqxx::connection& connection, const std::string& dw_schema) {
  const auto key = lock_key(connection, dw_schema);
  pqxx::result holders;
  {
    pqxx::nontransaction work(connection);
    holders = work.exec_params(kHolder, key);
  }
  if (holders.empty()) {
    return {};
  }
  const auto batch = running_batch(connection, dw_schema);
  return fmt::format("the pipeline run {}in PostgreSQL backend {} (connected since {})",
                     batch.empty() ? "" : "of " + batch + " ", holders[0][0].as<std::string>(),
                     holders[0][1].as<std::string>());
}

PipelineLock::PipelineLock(pqxx::connection& connection, const std::string& dw_schema,
                           config::PipelineLockPolicy policy,
                           const std::function<void(const std::string&)>& on_wait)
    : connection_(connection), key_(lock_key(connection, dw_schema)) {
  {
    pqxx::nontransaction work(connection_);
    if (work.exec_params1(kTryLock, key_)[0].as<bool>()) {
      return;
    }
  }
  std::string holder = describe_lock_holder(connection_, dw_schema);
  if (holder.empty()) {
    holder = "another pipeline run";
  }
  if (policy == config::PipelineLockPolicy::kFail) {
    throw PipelineBusy(fmt::format(
        "the warehouse \"{}\" is being built by {}; this run did not start (pipeline_lock=fail; "
        "set pipeline_lock=wait to queue behind it)",
        dw_schema, holder));
  }
  if (on_wait) {
    on_wait(
        fmt::format("waiting for {} to finish building the warehouse \"{}\" "
                    "(pipeline_lock=wait)",
                    holder, dw_schema));
  }
  pqxx::nontransaction work(connection_);
  work.exec_params(kLock, key_);
}

PipelineLock::~PipelineLock() {
  try {
    pqxx::nontransaction work(connection_);
    work.exec_params(kUnlock, key_);
  } catch (const std::exception& error) {
    spdlog::debug(
        "pipeline lock not released explicitly ({}); the server released it with the "
        "session",
        error.what());
  }
}

}  // namespace dp::warehouse
