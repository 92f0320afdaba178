#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "core/db/libpq_connection.hpp"
#include "core/ingest/load_types.hpp"
#include "core/ingest/opened_file.hpp"
#include "core/ingest/part_tables.hpp"
#include "core/ingest/reject_spool.hpp"
#include "core/ingest/row_streamer.hpp"
#include "core/pipeline/pipeline.hpp"

namespace dp::ingest {

/// Whether a file of `size_bytes` is worth cutting into parts under `options`.
bool wants_parallel_copy(const LoadOptions& options, std::uint64_t size_bytes);

/// Whether a file of `size_bytes` is hashed beside its rows rather than before them (a big
/// file, loaded in full): its duplicate check then follows the rows, before the commit.
bool hashes_beside_rows(const LoadOptions& options, std::uint64_t size_bytes);

/// Loads one big file over several connections, one thread per part, and keeps it one unit of
/// work by two-phase commit: part 0 streams on the load's own connection inside the ledger's
/// transaction, every other part on a connection of its own ends with PREPARE TRANSACTION, the
/// ledger's commit decides, and the prepared parts are committed after it. A process killed in
/// between leaves prepared parts that resolve_prepared_parts ends as the ledger says; the
/// warehouse takes no file whose parts are still prepared (V012). Each part's rows go into a
/// part table of its own (core/ingest/part_tables.hpp), indexed once loaded. See
/// docs/architecture.md.
class ParallelCopy {
 public:
  ParallelCopy(const pipeline::Pipeline& pipeline, const LoadOptions& options,
               db::LibpqConnection& connection, const OpenedFile& opened,
               const std::filesystem::path& path);
  /// Rolls the prepared parts back unless the ledger's commit was made (or may have been: a
  /// connection lost during the commit leaves them to the resolver). Never throws.
  ~ParallelCopy();
  ParallelCopy(const ParallelCopy&) = delete;
  ParallelCopy& operator=(const ParallelCopy&) = delete;

  /// Streams the rows of `file_id` in parts; the rejects of every part end up in `rejects`, in
  /// file order. nullopt when the file is loaded with one stream instead, with nothing of this
  /// attempt left: not cut (one part), no prepared transactions on the server, a cut not
  /// proven to be a record boundary, or a part that failed the file (the single stream then
  /// reports it exactly as for any file). Throws what the single stream throws otherwise.
  std::optional<StreamResult> stream(std::int64_t file_id, RejectSpool& rejects);
  /// Called right before the ledger's commit.
  void before_commit();
  /// Called after the ledger's commit: commits the prepared parts (a failure is logged and left
  /// to the resolver, since the load is decided) and releases the load's session lock.
  void after_commit() noexcept;

 private:
  struct Part;
  void abandon() noexcept;
  bool prepared_transactions_available();

  const pipeline::Pipeline& pipeline_;
  const LoadOptions& options_;
  db::LibpqConnection& connection_;
  const OpenedFile& opened_;
  std::filesystem::path path_;
  std::int64_t file_id_ = 0;
  std::uint32_t database_ = 0;
  std::vector<std::unique_ptr<Part>> parts_;
  /// The part tables, once created (committed, empty): dropped unless the load commits.
  std::optional<PartTables> tables_;
  bool locked_ = false;
  bool commit_started_ = false;
};

/// Test-only: a process whose environment sets DP_TEST_KILL_AT to `point` kills itself with
/// SIGKILL here, so tests can stop a load between PREPARE and COMMIT PREPARED for real. Inert
/// unless that variable names the point.
void kill_point_for_test(const char* point);

}  // namespace dp::ingest
