#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/db/libpq_connection.hpp"

namespace dp::db {

/// What the ledger needs to know about a file before its outcome is known.
struct LedgerFile {
  std::string sha256;
  std::string original_name;
  std::uint64_t size_bytes = 0;
  /// Kind name; empty when no kind claimed the file.
  std::string pipeline;
};

/// The load ledger (ingest.files): the service's memory of which content it has loaded. All
/// functions run inside the caller's transaction, so a file's ledger row commits with its rows.
class Ledger {
 public:
  explicit Ledger(LibpqConnection& connection) : connection_(connection) {}

  /// Serializes loads of the same content until the transaction ends, so that two workers
  /// given the same bytes under two names cannot both load them.
  void lock_content(const std::string& sha256);
  /// The file id of an earlier successful load of this content, if any.
  std::optional<std::int64_t> find_loaded(const std::string& sha256);
  /// Inserts the row for a load in progress and returns its file id.
  std::int64_t begin_load(const LedgerFile& file);
  /// The file id for a load whose ledger row is written only once its content hash is known
  /// (a big file is hashed while it streams): rows are staged under it meanwhile.
  std::int64_t reserve_file_id();
  /// begin_load under an id from reserve_file_id.
  void begin_load(const LedgerFile& file, std::int64_t reserved_file_id);
  /// Marks a load complete with its counts.
  void finish_load(std::int64_t file_id, std::uint64_t rows_loaded, std::uint64_t rows_rejected);
  /// Marks a load of only the first `row_limit` rows complete: a 'trial' that neither makes
  /// the content a duplicate nor reaches the warehouse.
  void finish_trial(std::int64_t file_id, std::uint64_t rows_loaded, std::uint64_t rows_rejected,
                    std::uint64_t row_limit);
  /// Marks the trial loads of this content as replaced by the full load `file_id` and returns
  /// their file ids (oldest first), whose rows the caller removes from staging.
  std::vector<std::int64_t> supersede_trials(const std::string& sha256, std::int64_t file_id);
  /// Records a duplicate of an earlier load.
  std::int64_t record_duplicate(const LedgerFile& file, std::int64_t duplicate_of);
  /// Records a failed or quarantined file with its reason.
  std::int64_t record_failure(const LedgerFile& file, const std::string& error,
                              std::uint64_t rows_rejected);

 private:
  LibpqConnection& connection_;
};

}  // namespace dp::db
