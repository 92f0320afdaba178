#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/ingest/file_mover.hpp"
#include "core/ingest/load_types.hpp"
#include "core/pipeline/active_registry.hpp"
#include "core/pipeline/pipeline_registry.hpp"
#include "core/watch/file_watcher.hpp"

namespace boost::asio {
class io_context;
}

namespace dp::ingest {

/// Everything watch mode needs, derived from the settings by the caller.
struct IngestServiceOptions {
  watch::FileWatcherOptions watch;
  LoadOptions load;
  MoveOptions move;
  /// libpq connection string for the workers, and the same with its password masked for logs.
  std::string conninfo;
  std::string conninfo_display;
  int workers = 2;
  /// Names this process among the replicas sharing imports/ (logs, the ledger, --status).
  std::string replica_id;
  /// Files waiting for a worker at most; more are left in imports/ for the next scan.
  std::size_t queue_capacity = 1000;
  /// Per-file backoff of a waiting file (database unreachable, unreadable, move failed): it stays
  /// in imports/ and is retried after this, doubling up to retry_max_delay.
  std::chrono::milliseconds retry_first_delay{std::chrono::seconds(1)};
  std::chrono::milliseconds retry_max_delay{std::chrono::seconds(30)};
};

/// Counters the service keeps for --status, /metrics and the tests.
struct IngestCounters {
  std::uint64_t loaded = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t failed = 0;
  std::uint64_t quarantined = 0;
  std::uint64_t retries = 0;
  std::uint64_t rows_loaded = 0;
  std::uint64_t rows_rejected = 0;
  std::size_t queued = 0;
  std::size_t in_flight = 0;
  /// Files kept in imports/ and retried, by cause (database_unavailable, unreadable, ...).
  std::map<std::string, std::size_t> retrying;
  /// Loads rolled back because the file changed while it was read.
  std::uint64_t changed_while_loading = 0;
  /// Files this replica claimed and opened for reading (hashed): across replicas, each file is
  /// read by one of them.
  std::uint64_t files_read = 0;
  /// Files skipped because another replica held their claim.
  std::uint64_t claims_busy = 0;
};

/// Watch mode: the watcher says which files are complete, a pool of worker threads loads them
/// (blocking database work never runs on the event loop), and each file is moved aside only
/// after its outcome is committed. A file that cannot be decided now (database outage, file it
/// may not read, a move that failed after the commit) waits in place, visibly, and is retried.
class IngestService {
 public:
  IngestService(boost::asio::io_context& io, const pipeline::PipelineRegistry& registry,
                IngestServiceOptions options);
  /// Loads each file with the kinds in force when its load starts (replaced on SIGHUP).
  IngestService(boost::asio::io_context& io, std::shared_ptr<const pipeline::ActiveRegistry> kinds,
                IngestServiceOptions options);
  /// Stops and joins the workers; never throws.
  ~IngestService();
  IngestService(const IngestService&) = delete;
  IngestService& operator=(const IngestService&) = delete;

  /// Starts the workers and the watcher (initial scan included).
  void start();
  /// Stops taking files, rolls back in-flight loads, joins the workers. Call on the io thread.
  void stop();
  /// Snapshot of the counters (any thread).
  IngestCounters counters() const;
  /// Files seen in imports/ but not complete yet, and files waiting to be retried with their
  /// reason (stale-file alerts, /metrics).
  std::vector<watch::PendingFile> pending_files() const;
  /// Names of the files this replica holds a claim on right now (heartbeat, --status).
  std::vector<std::string> claimed_files() const;
  /// Whether the watcher runs (readiness probe).
  bool running() const;
  /// Called on the io thread after each committed outcome (metrics, notifications).
  void on_outcome(std::function<void(const LoadOutcome&)> callback);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dp::ingest
