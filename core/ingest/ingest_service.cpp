#include <utility>

#include "core/ingest/ingest_service.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/db/libpq_connection.hpp"
#include "core/db/pg_error.hpp"
#include "core/ingest/file_loader.hpp"

namespace dp::ingest {
namespace fs = std::filesystem;
namespace asio = boost::asio;

struct IngestService::Impl {
  Impl(asio::io_context& io_context, const pipeline::PipelineRegistry& registry,
       IngestServiceOptions service_options)
      : io(io_context),
        options(std::move(service_options)),
        loader(registry, with_cancel(options.load)),
        watcher(io_context, options.watch, callbacks()),
        retry_delay(options.retry_first_delay) {}

  LoadOptions with_cancel(LoadOptions load) {
    load.cancel = &cancel;
    return load;
  }

  watch::FileWatcherCallbacks callbacks() {
    watch::FileWatcherCallbacks result;
    result.on_ready = [this](const fs::path& file, watch::ReadyReason) { enqueue(file); };
    result.on_symlink = [this](const fs::path& link) { quarantine_link(link); };
    result.on_ignored = [](const fs::path& entry, const std::string& reason) {
      spdlog::info("ignoring {}: {}", entry.string(), reason);
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
                   file.filename().string());
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
      spdlog::warn("quarantined symlink {} to {}", link.filename().string(), moved.string());
      watcher.forget(link);
    } catch (const std::exception& error) {
      spdlog::error("cannot quarantine symlink {}: {}", link.string(), error.what());
    }
  }

  void finished(const fs::path& file, const std::optional<LoadOutcome>& outcome) {
    {
      std::lock_guard lock(mutex);
      active.erase(file);
    }
    if (stopping) {
      return;
    }
    watcher.forget(file);
    if (outcome && outcome_callback) {
      outcome_callback(*outcome);
    }
  }

  void retry_later(const fs::path& file) {
    {
      std::lock_guard lock(mutex);
      active.erase(file);
      ++counters.retries;
    }
    if (stopping) {
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(io, retry_delay);
    spdlog::warn("database unavailable; {} stays in imports/ and is retried in {} ms",
                 file.filename().string(), retry_delay.count());
    retry_delay = std::min(retry_delay * 2, options.retry_max_delay);
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
    }
  }

  void process(std::unique_ptr<db::LibpqConnection>& connection, const fs::path& file) {
    std::optional<LoadOutcome> outcome;
    try {
      if (!fs::exists(fs::symlink_status(file))) {
        asio::post(io, [this, file] { finished(file, std::nullopt); });
        return;
      }
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<db::LibpqConnection>(options.conninfo);
      }
      outcome = loader.load(*connection, file);
      log_outcome(*outcome);
      if (outcome->status == LoadStatus::kLoaded && outcome->rows_rejected > 0) {
        export_rejects(*connection, *outcome, options.move);
      }
      settle_file(*outcome, options.move);
      count(*outcome);
      asio::post(io, [this, file, outcome] {
        retry_delay = options.retry_first_delay;
        finished(file, outcome);
      });
    } catch (const LoadCancelled&) {
      spdlog::info("{}: load rolled back for shutdown; it stays in imports/",
                   file.filename().string());
      asio::post(io, [this, file] { finished(file, std::nullopt); });
    } catch (const RetryLater& error) {
      spdlog::warn("{}: {}", file.filename().string(), error.what());
      connection.reset();
      asio::post(io, [this, file] { retry_later(file); });
    } catch (const db::PgError& error) {
      connection.reset();
      if (db::classify_exception(error) == db::ErrorClass::kRetry) {
        asio::post(io, [this, file] { retry_later(file); });
      } else {
        spdlog::error("{}: {}", file.filename().string(), error.what());
        asio::post(io, [this, file] { retry_later(file); });
      }
    } catch (const std::exception& error) {
      spdlog::error("{}: cannot be processed: {}", file.filename().string(), error.what());
      asio::post(io, [this, file] { finished(file, std::nullopt); });
    }
  }

  void log_outcome(const LoadOutcome& outcome) {
    const auto name = outcome.path.filename().string();
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
  std::chrono::milliseconds retry_delay;
  std::vector<std::shared_ptr<asio::steady_timer>> retry_timers;
  std::function<void(const LoadOutcome&)> outcome_callback;
  bool stopping = false;
  bool started = false;

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<fs::path> queue;
  std::set<fs::path> active;
  std::size_t in_flight = 0;
  IngestCounters counters;
  std::vector<std::thread> threads;
};

IngestService::IngestService(asio::io_context& io, const pipeline::PipelineRegistry& registry,
                             IngestServiceOptions options)
    : impl_(std::make_unique<Impl>(io, registry, std::move(options))) {}

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
  return snapshot;
}

std::vector<watch::PendingFile> IngestService::pending_files() const {
  return impl_->watcher.pending_files();
}

bool IngestService::running() const {
  return impl_->started && !impl_->stopping;
}

void IngestService::on_outcome(std::function<void(const LoadOutcome&)> callback) {
  impl_->outcome_callback = std::move(callback);
}

}  // namespace dp::ingest
