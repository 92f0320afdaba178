#pragma once

#include <filesystem>

#include "core/db/libpq_connection.hpp"
#include "core/ingest/file_claim.hpp"
#include "core/ingest/load_types.hpp"
#include "core/pipeline/active_registry.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::ingest {

/// Loads one file as one unit of work: its staging rows, its rejects and its ledger row become
/// visible together or not at all. Used by watch mode, --ingest and --check alike.
class FileLoader {
 public:
  FileLoader(const pipeline::PipelineRegistry& registry, LoadOptions options);
  /// Loads with whatever kinds are in force when each load starts (watch mode, SIGHUP).
  FileLoader(std::shared_ptr<const pipeline::ActiveRegistry> kinds, LoadOptions options);

  /// Fingerprints, dispatches, streams and commits `path` on `connection`. A bad file is an
  /// outcome (failed/quarantined, recorded in the ledger), never an exception. Throws RetryLater
  /// when the database is unreachable, LoadCancelled on shutdown, and db::PgError for errors
  /// that retrying cannot fix. With a `claim`, a file that is no longer the one claimed (replaced
  /// in between) is not read: FileUnavailable, and it is claimed anew once it settles.
  LoadOutcome load(db::LibpqConnection& connection, const std::filesystem::path& path,
                   const FileClaim* claim = nullptr) const;

 private:
  std::shared_ptr<const pipeline::ActiveRegistry> kinds_;
  LoadOptions options_;
};

/// The name a kind sees: the file name without a trailing `.gz`.
std::string logical_file_name(const std::filesystem::path& path);

/// The file name as logs, notifications and the ledger show it: any bytes (`\xFF` for an
/// invalid one), so that no name can break a log line, a JSON body or a text column.
std::string display_name(const std::filesystem::path& path);

}  // namespace dp::ingest
