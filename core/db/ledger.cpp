#include "core/db/ledger.hpp"

#include "core/csv/utf8.hpp"

namespace dp::db {
namespace {

std::optional<std::string> nullable(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

void Ledger::lock_content(const std::string& sha256) {
  connection_.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {sha256});
}

std::optional<std::int64_t> Ledger::find_loaded(const std::string& sha256) {
  const auto result = connection_.exec_params(
      "SELECT file_id FROM ingest.files WHERE sha256 = $1 AND status = 'loaded' "
      "ORDER BY file_id LIMIT 1",
      {sha256});
  if (result.rows() == 0) {
    return std::nullopt;
  }
  return std::stoll(std::string(result.get(0, 0)));
}

std::int64_t Ledger::begin_load(const LedgerFile& file) {
  const auto result = connection_.exec_params(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status) "
      "VALUES ($1, $2, $3, $4, 'loading') RETURNING file_id",
      {file.sha256, csv::escape_invalid_utf8(file.original_name), std::to_string(file.size_bytes),
       nullable(file.pipeline)});
  return std::stoll(std::string(result.get(0, 0)));
}

std::int64_t Ledger::reserve_file_id() {
  const auto result =
      connection_.exec("SELECT nextval(pg_get_serial_sequence('ingest.files', 'file_id'))");
  return std::stoll(std::string(result.get(0, 0)));
}

void Ledger::begin_load(const LedgerFile& file, std::int64_t reserved_file_id) {
  connection_.exec_params(
      "INSERT INTO ingest.files (file_id, sha256, original_name, size_bytes, pipeline, status) "
      "VALUES ($1, $2, $3, $4, $5, 'loading')",
      {std::to_string(reserved_file_id), file.sha256, csv::escape_invalid_utf8(file.original_name),
       std::to_string(file.size_bytes), nullable(file.pipeline)});
}

void Ledger::finish_load(std::int64_t file_id, std::uint64_t rows_loaded,
                         std::uint64_t rows_rejected) {
  connection_.exec_params(
      "UPDATE ingest.files SET status = 'loaded', rows_loaded = $2, rows_rejected = $3, "
      "finished_at = clock_timestamp() WHERE file_id = $1",
      {std::to_string(file_id), std::to_string(rows_loaded), std::to_string(rows_rejected)});
}

void Ledger::finish_trial(std::int64_t file_id, std::uint64_t rows_loaded,
                          std::uint64_t rows_rejected, std::uint64_t row_limit) {
  connection_.exec_params(
      "UPDATE ingest.files SET status = 'trial', rows_loaded = $2, rows_rejected = $3, "
      "row_limit = $4, finished_at = clock_timestamp() WHERE file_id = $1",
      {std::to_string(file_id), std::to_string(rows_loaded), std::to_string(rows_rejected),
       std::to_string(row_limit)});
}

std::vector<std::int64_t> Ledger::supersede_trials(const std::string& sha256,
                                                   std::int64_t file_id) {
  const auto result = connection_.exec_params(
      "WITH superseded AS (UPDATE ingest.files SET status = 'superseded', superseded_by = $2 "
      "WHERE sha256 = $1 AND status = 'trial' RETURNING file_id) "
      "SELECT file_id FROM superseded ORDER BY file_id",
      {sha256, std::to_string(file_id)});
  std::vector<std::int64_t> ids;
  for (int row = 0; row < result.rows(); ++row) {
    ids.push_back(std::stoll(std::string(result.get(row, 0))));
  }
  return ids;
}

std::int64_t Ledger::record_duplicate(const LedgerFile& file, std::int64_t duplicate_of) {
  const auto result = connection_.exec_params(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status, "
      "duplicate_of, finished_at) VALUES ($1, $2, $3, $4, 'duplicate', $5, clock_timestamp()) "
      "RETURNING file_id",
      {file.sha256, csv::escape_invalid_utf8(file.original_name), std::to_string(file.size_bytes),
       nullable(file.pipeline), std::to_string(duplicate_of)});
  return std::stoll(std::string(result.get(0, 0)));
}

std::int64_t Ledger::record_failure(const LedgerFile& file, const std::string& error,
                                    std::uint64_t rows_rejected) {
  const auto result = connection_.exec_params(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status, "
      "rows_rejected, error, finished_at) "
      "VALUES ($1, $2, $3, $4, 'failed', $5, $6, clock_timestamp()) RETURNING file_id",
      {file.sha256, csv::escape_invalid_utf8(file.original_name), std::to_string(file.size_bytes),
       nullable(file.pipeline), std::to_string(rows_rejected), csv::escape_invalid_utf8(error)});
  return std::stoll(std::string(result.get(0, 0)));
}

}  // namespace dp::db
