#include <utility>

#include "core/ingest/ingest_service.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/csv/utf8.hpp"
#include "core/db/ledger.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/db/pg_error.hpp"
#include "core/ingest/file_claim.hpp"
#include "core/ingest/file_loader.hpp"

namespace dp::ingest {
namespace fs = std::filesystem;
namespace asio = boost::asio;

struct IngestService::Impl {
  Impl(asio::io_context& io_context, std::shared_ptr<const pipeline::ActiveRegistry> kinds,
       IngestServiceOptions service_options)
      : io(io_context),
        options(std::move(service_options)),
        loader(std::move(kinds), with_cancel(options.load)),
        watcher(io_context, options.watch, callbacks()) {}

  LoadOptions with_cancel(LoadOptions load) {
    load.cancel = &cancel;
    return load;
  }

  watch::FileWatcherCallbacks callbacks() {
    watch::FileWatcherCallbacks result;
    result.on_ready = [this](const fs::path& file, watch::ReadyReason) { enqueue(file); };
    result.on_symlink = [this](const fs::path& link) { quarantine_link(link); };
    result.on_ignored = [](const fs::path& entry, const std::string& reason) {
      spdlog::info("ignoring {}: {}", display_name(entry), reason);
    };
    return result;
  }

  // --- io thread -------------------------------------------------------------------------
  void enqueue(const fs::path& file) {
    if (stopping) {
      return;
    }
    std::unique_lock lock(mutex);
    if (active.count(file) != 0) {
      return;
    }
    if (queue.size() >= options.queue_capacity) {
      lock.unlock();
      spdlog::warn("load queue full ({} files); {} waits for the next scan", options.queue_capacity,
                   display_name(file));
      watcher.forget(file);
      return;
    }
    active.insert(file);
    queue.push_back(file);
    lock.unlock();
    wake.notify_one();
  }

  void quarantine_link(const fs::path& link) {
    try {
      const auto moved = quarantine_file(
          link, "symbolic links are not followed; copy the file itself", options.move);
      spdlog::warn("quarantined symlink {} to {}", display_name(link),
                   csv::escape_invalid_utf8(moved.string()));
      watcher.forget(link);
    } catch (const std::exception& error) {
      std::error_code ignored;
      if (!fs::exists(fs::symlink_status(link, ignored))) {
        // Another replica sharing imports/ quarantined it first.
        watcher.forget(link);
        return;
      }
      spdlog::error("cannot quarantine symlink {}: {}", display_name(link),
                    csv::escape_invalid_utf8(error.what()));
    }
  }

  void finished(const fs::path& file, const std::optional<LoadOutcome>& outcome) {
    {
      std::lock_guard lock(mutex);
      active.erase(file);
      waiting.erase(file);
      unsettled.erase(file);
    }
    if (stopping) {
      return;
    }
    watcher.forget(file);
    if (outcome) {
      report(*outcome);
    }
  }

  /// Tells the metrics and notifications about a committed outcome, exactly once per outcome.
  void report(const LoadOutcome& outcome) {
    if (outcome_callback) {
      outcome_callback(outcome);
    }
  }

  /// Keeps the file in imports/ in a visible waiting state (pending_files, /metrics, --status,
  /// one stale alert) and tries it again after a per-file backoff. Its first-seen time stays.
  void retry_later(const fs::path& file, const std::string& cause, const std::string& reason) {
    std::chrono::milliseconds delay{};
    {
      std::lock_guard lock(mutex);
      active.erase(file);
      ++counters.retries;
      auto [entry, is_new] = waiting.try_emplace(file);
      if (is_new) {
        entry->second.since = std::chrono::steady_clock::now();
        entry->second.delay = options.retry_first_delay;
      } else {
        entry->second.delay = std::min(entry->second.delay * 2, options.retry_max_delay);
      }
      entry->second.cause = cause;
      entry->second.reason = reason;
      delay = entry->second.delay;
    }
    if (stopping) {
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(io, delay);
    spdlog::warn("{}: waiting ({}): {}; it stays in imports/ and is retried in {} ms",
                 display_name(file), cause, reason, delay.count());
    retry_timers.push_back(timer);
    timer->async_wait([this, file, timer](const boost::system::error_code& error) {
      retry_timers.erase(std::remove(retry_timers.begin(), retry_timers.end(), timer),
                         retry_timers.end());
      if (!error && !stopping) {
        enqueue(file);
      }
    });
  }

  // --- worker threads --------------------------------------------------------------------
  void work() {
    std::unique_ptr<db::LibpqConnection> connection;
    for (;;) {
      fs::path file;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return cancel.load() || !queue.empty(); });
        if (cancel.load()) {
          return;
        }
        file = queue.front();
        queue.pop_front();
        ++in_flight;
      }
      process(connection, file);
      std::lock_guard lock(mutex);
      --in_flight;
      idle.notify_all();
    }
  }

  /// Lists a worker's connection while it runs a file, so that stop() can cancel the statement
  /// it waits on (a lock, a slow COPY end) instead of waiting for it.
  class BusyConnection {
   public:
    BusyConnection(Impl& impl, db::LibpqConnection& connection)
        : impl_(impl), connection_(connection) {
      std::lock_guard lock(impl_.mutex);
      impl_.busy.insert(&connection_);
      if (impl_.cancel.load()) {
        connection_.cancel();
      }
    }
    ~BusyConnection() {
      std::lock_guard lock(impl_.mutex);
      impl_.busy.erase(&connection_);
    }
    BusyConnection(const BusyConnection&) = delete;
    BusyConnection& operator=(const BusyConnection&) = delete;

   private:
    Impl& impl_;
    db::LibpqConnection& connection_;
  };

  /// Shutdown: until every worker is idle, cancels the statements of the busy ones again and
  /// again (a cancel that lands between two statements is lost, so once is not enough).
  void cancel_in_flight() {
    std::unique_lock lock(mutex);
    while (in_flight > 0) {
      for (auto* connection : busy) {
        connection->cancel();
      }
      idle.wait_for(lock, std::chrono::milliseconds(100));
    }
  }

  /// Claims the file for this replica first (nothing is read before), then processes it and
  /// moves it aside while the claim is held; a file another replica holds is left to it.
  void process(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file) {
    std::optional<FileClaim> claim;
    try {
      connected(connection);
      claim.emplace(connection, file);
    } catch (const db::PgError& error) {
      const bool unreachable = db::classify_exception(error) == db::ErrorClass::kRetry;
      connection.reset();
      wait(connection, file, unreachable ? "database_unavailable" : "database_error", error.what());
      return;
    }
    if (!claim->held()) {
      if (claim->stat()) {
        spdlog::debug("{}: claimed by another replica; left to it", display_name(file));
        std::lock_guard lock(mutex);
        ++counters.claims_busy;
      }
      asio::post(io, [this, file] { finished(file, std::nullopt); });
      return;
    }
    const HeldClaim held(*this, file);
    process_claimed(connection, file, *claim);
  }

  /// Lists a claimed file for claimed_files() while this worker holds it.
  class HeldClaim {
   public:
    HeldClaim(Impl& impl, const fs::path& file) : impl_(impl), file_(file) {
      std::lock_guard lock(impl_.mutex);
      impl_.claimed.insert(file_);
    }
    ~HeldClaim() {
      std::lock_guard lock(impl_.mutex);
      impl_.claimed.erase(file_);
    }
    HeldClaim(const HeldClaim&) = delete;
    HeldClaim& operator=(const HeldClaim&) = delete;

   private:
    Impl& impl_;
    fs::path file_;
  };

  void process_claimed(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file,
                       const FileClaim& claim) {
    if (auto committed = take_unsettled(file)) {
      if (watch::lstat_file(file) == committed->identity) {
        // Committed before; only its move failed. Never loaded or recorded again.
        settle(connection, file, *committed, false);
        return;
      }
      spdlog::warn("{}: changed since file id {} was committed; taken as new content",
                   display_name(file), committed->file_id);
    }
    std::optional<LoadOutcome> outcome;
    std::optional<LoadOutcome> committed_before;
    try {
      if (!fs::exists(fs::symlink_status(file))) {
        asio::post(io, [this, file] { finished(file, std::nullopt); });
        return;
      }
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<db::LibpqConnection>(options.conninfo);
      }
      committed_before = claim.committed_outcome();
      if (!committed_before) {
        spdlog::info("{}: claimed by replica {}; reading it", display_name(file),
                     options.replica_id);
        {
          std::lock_guard lock(mutex);
          ++counters.files_read;
        }
        const BusyConnection busy_connection(*this, *connection);
        outcome = loader.load(*connection, file, &claim);
      }
    } catch (const LoadCancelled&) {
      spdlog::info("{}: load rolled back for shutdown; it stays in imports/", display_name(file));
      asio::post(io, [this, file] { finished(file, std::nullopt); });
      return;
    } catch (const RetryLater& error) {
      connection.reset();
      wait(connection, file, "database_unavailable", error.what());
      return;
    } catch (const FileUnavailable& error) {
      if (error.cause() == "gone") {
        asio::post(io, [this, file] { finished(file, std::nullopt); });
        return;
      }
      if (error.cause() == "changed_while_loading") {
        std::lock_guard lock(mutex);
        ++counters.changed_while_loading;
      }
      wait(connection, file, error.cause(), error.what());
      return;
    } catch (const db::PgError& error) {
      const auto error_class = db::classify_exception(error);
      if (error.connection_lost() || error_class != db::ErrorClass::kFailFile) {
        connection.reset();
      }
      switch (error_class) {
        case db::ErrorClass::kRetry:
          wait(connection, file, "database_unavailable", error.what());
          return;
        case db::ErrorClass::kFatal:
          // Nothing works until an administrator acts (a missing table, a revoked grant):
          // the file waits, visibly, rather than being failed for the database's fault.
          wait(connection, file, "database_error", error.what());
          return;
        case db::ErrorClass::kFailFile:
          fail_unrecorded(connection, file,
                          std::string("the database refused it: ") + error.what());
          return;
      }
    } catch (const std::exception& error) {
      fail_unrecorded(connection, file, error.what());
      return;
    }
    if (committed_before) {
      // Committed before (by this replica before a restart, or by one that died before its
      // move): only the move is left, never a second read or a duplicate row.
      spdlog::info("{}: already {} as file id {}; moving it aside", display_name(file),
                   to_string(committed_before->status), committed_before->file_id);
      settle(connection, file, *committed_before, false);
      return;
    }
    log_outcome(*outcome);
    count(*outcome);
    asio::post(io, [this, outcome] { report(*outcome); });
    settle(connection, file, *outcome, true);
  }

  /// After the commit: exports the rejects and moves the file aside. A failure here never
  /// re-loads or re-records the file: the outcome is kept and only the move is tried again.
  void settle(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file,
              const LoadOutcome& outcome, bool with_rejects) {
    if (with_rejects && outcome.status == LoadStatus::kLoaded && outcome.rows_rejected > 0) {
      try {
        export_rejects(*connection, outcome, options.move);
      } catch (const std::exception& error) {
        spdlog::error("{}: cannot export its rejects ({}); they are in ingest.rejects (file id {})",
                      display_name(file), error.what(), outcome.file_id);
      }
    }
    try {
      settle_file(outcome, options.move);
    } catch (const std::exception& error) {
      {
        std::lock_guard lock(mutex);
        unsettled.insert_or_assign(file, outcome);
      }
      wait(connection, file, "archive_failed",
           fmt::format("{} as file id {}, but moving it out of imports/ failed: {}",
                       to_string(outcome.status), outcome.file_id, error.what()));
      return;
    }
    forget_waiting_row(connection, file);
    asio::post(io, [this, file] { finished(file, std::nullopt); });
  }

  /// A file that cannot be loaded for a reason of its own: failed once, with its reason, in the
  /// ledger when the database takes the row and in imports/.failed/ with an error report.
  void fail_unrecorded(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file,
                       const std::string& reason) {
    std::error_code ignored;
    if (!fs::exists(fs::symlink_status(file, ignored))) {
      asio::post(io, [this, file] { finished(file, std::nullopt); });
      return;
    }
    LoadOutcome outcome;
    outcome.status = LoadStatus::kFailed;
    outcome.path = file;
    outcome.error = reason;
    outcome.identity = watch::lstat_file(file);
    outcome.size_bytes = outcome.identity ? outcome.identity->size : 0;
    spdlog::error("{}: failed: {}", display_name(file), reason);
    try {
      if (connected(connection)) {
        db::LibpqTransaction transaction(*connection);
        db::LedgerFile entry;
        entry.original_name = file.filename().string();
        entry.size_bytes = outcome.size_bytes;
        outcome.file_id = db::Ledger(*connection).record_failure(entry, reason, 0);
        transaction.commit();
      }
    } catch (const std::exception& error) {
      spdlog::error("{}: cannot record the failure in the ledger: {}", display_name(file),
                    error.what());
    }
    count(outcome);
    asio::post(io, [this, outcome] { report(outcome); });
    settle(connection, file, outcome, false);
  }

  /// Puts the file into the waiting state; the reason goes to ingest.waiting for --status when
  /// the database can take it.
  void wait(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file,
            const std::string& cause, const std::string& reason) {
    const auto text = csv::escape_invalid_utf8(reason);
    try {
      if (cause != "database_unavailable" && connected(connection)) {
        connection->exec_params(
            "INSERT INTO ingest.waiting (name, reason) VALUES ($1, $2) ON CONFLICT (name) DO "
            "UPDATE SET reason = EXCLUDED.reason, updated_at = now(), "
            "attempts = ingest.waiting.attempts + 1",
            {display_name(file), cause + ": " + text});
      }
    } catch (const std::exception& error) {
      spdlog::debug("{}: cannot record its waiting state: {}", display_name(file), error.what());
    }
    asio::post(io, [this, file, cause, text] { retry_later(file, cause, text); });
  }

  /// Whether the worker has a usable connection, opening one if needed (a worker that has not
  /// loaded anything yet may retry another worker's file).
  bool connected(std::unique_ptr<db::LibpqConnection>& connection) {
    if (connection == nullptr || !connection->is_open()) {
      connection = std::make_unique<db::LibpqConnection>(options.conninfo);
    }
    return true;
  }

  /// Clears the waiting row of a file that reached its end state.
  void forget_waiting_row(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file) {
    {
      std::lock_guard lock(mutex);
      if (waiting.count(file) == 0) {
        return;
      }
    }
    try {
      if (connected(connection)) {
        connection->exec_params("DELETE FROM ingest.waiting WHERE name = $1", {display_name(file)});
      }
    } catch (const std::exception& error) {
      spdlog::debug("{}: cannot clear its waiting state: {}", display_name(file), error.what());
    }
  }

  std::optional<LoadOutcome> take_unsettled(const fs::path& file) {
    std::lock_guard lock(mutex);
    const auto found = unsettled.find(file);
    if (found == unsettled.end()) {
      return std::nullopt;
    }
    auto outcome = found->second;
    unsettled.erase(found);
    return outcome;
  }

  void log_outcome(const LoadOutcome& outcome) {
    const auto name = display_name(outcome.path);
    switch (outcome.status) {
      case LoadStatus::kLoaded:
        spdlog::info("{}: loaded {} rows into {} ({} rejected) in {:.2f} s (file id {})", name,
                     outcome.rows_loaded, outcome.pipeline, outcome.rows_rejected, outcome.seconds,
                     outcome.file_id);
        break;
      case LoadStatus::kDuplicate:
        spdlog::info("{}: same content as file id {}; not loaded again", name,
                     outcome.duplicate_of);
        break;
      case LoadStatus::kFailed:
      case LoadStatus::kQuarantined:
        spdlog::error("{}: {}: {}", name, to_string(outcome.status), outcome.error);
        break;
    }
    for (const auto& warning : outcome.warnings) {
      spdlog::warn("{}: {}", name, warning);
    }
  }

  void count(const LoadOutcome& outcome) {
    std::lock_guard lock(mutex);
    switch (outcome.status) {
      case LoadStatus::kLoaded:
        ++counters.loaded;
        break;
      case LoadStatus::kDuplicate:
        ++counters.duplicates;
        break;
      case LoadStatus::kFailed:
        ++counters.failed;
        break;
      case LoadStatus::kQuarantined:
        ++counters.quarantined;
        break;
    }
    counters.rows_loaded += outcome.rows_loaded;
    counters.rows_rejected += outcome.rows_rejected;
  }

  asio::io_context& io;
  IngestServiceOptions options;
  std::atomic<bool> cancel{false};
  FileLoader loader;
  watch::FileWatcher watcher;
  std::vector<std::shared_ptr<asio::steady_timer>> retry_timers;
  std::function<void(const LoadOutcome&)> outcome_callback;
  bool stopping = false;
  bool started = false;

  mutable std::mutex mutex;
  std::condition_variable wake;
  /// Signalled whenever a worker finishes a file (shutdown waits on it).
  std::condition_variable idle;
  std::set<db::LibpqConnection*> busy;
  /// Why a file stays in imports/ to be tried again, and how long until the next try.
  struct Waiting {
    std::string cause;
    std::string reason;
    std::chrono::steady_clock::time_point since;
    std::chrono::milliseconds delay{};
  };
  std::map<fs::path, Waiting> waiting;
  /// Committed outcomes whose move out of imports/ failed: only the move is retried.
  std::map<fs::path, LoadOutcome> unsettled;
  std::deque<fs::path> queue;
  std::set<fs::path> active;
  /// Files a worker holds the claim on.
  std::set<fs::path> claimed;
  std::size_t in_flight = 0;
  IngestCounters counters;
  std::vector<std::thread> threads;
};

IngestService::IngestService(asio::io_context& io, const pipeline::PipelineRegistry& registry,
                             IngestServiceOptions options)
    : IngestService(io, pipeline::ActiveRegistry::fixed(registry), std::move(options)) {}

IngestService::IngestService(asio::io_context& io,
                             std::shared_ptr<const pipeline::ActiveRegistry> kinds,
                             IngestServiceOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(kinds), std::move(options))) {}

IngestService::~IngestService() {
  try {
    stop();
  } catch (const std::exception& error) {
    spdlog::error("ingest service did not stop cleanly: {}", error.what());
  }
}

void IngestService::start() {
  fs::create_directories(impl_->options.watch.dir);
  for (int i = 0; i < std::max(1, impl_->options.workers); ++i) {
    impl_->threads.emplace_back([this] { impl_->work(); });
  }
  impl_->watcher.start();
  impl_->started = true;
  spdlog::info("watching {} with {} workers", fs::absolute(impl_->options.watch.dir).string(),
               impl_->options.workers);
}

void IngestService::stop() {
  if (impl_->stopping) {
    return;
  }
  impl_->stopping = true;
  impl_->watcher.stop();
  for (auto& timer : impl_->retry_timers) {
    timer->cancel();
  }
  {
    std::lock_guard lock(impl_->mutex);
    impl_->cancel = true;
  }
  impl_->wake.notify_all();
  impl_->cancel_in_flight();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) {
      thread.join();
    }
  }
  impl_->threads.clear();
  impl_->started = false;
}

IngestCounters IngestService::counters() const {
  std::lock_guard lock(impl_->mutex);
  auto snapshot = impl_->counters;
  snapshot.queued = impl_->queue.size();
  snapshot.in_flight = impl_->in_flight;
  for (const auto& [path, waiting] : impl_->waiting) {
    ++snapshot.retrying[waiting.cause];
  }
  return snapshot;
}

std::vector<watch::PendingFile> IngestService::pending_files() const {
  auto files = impl_->watcher.pending_files();
  std::lock_guard lock(impl_->mutex);
  for (const auto& [path, waiting] : impl_->waiting) {
    files.push_back({display_name(path), waiting.since, waiting.cause + ": " + waiting.reason});
  }
  return files;
}

std::vector<std::string> IngestService::claimed_files() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> names;
  for (const auto& file : impl_->claimed) {
    names.push_back(display_name(file));
  }
  return names;
}

bool IngestService::running() const {
  return impl_->started && !impl_->stopping;
}

void IngestService::on_outcome(std::function<void(const LoadOutcome&)> callback) {
  impl_->outcome_callback = std::move(callback);
}

}  // namespace dp::ingest
