#pragma once

// Helpers shared by the watch tests: a fresh temporary folder per test and a FileWatcher driven
// by a real io_context on its own thread, recording every callback.

#include <utility>  // before Asio: Boost 1.74 with GCC 12 in C++20 needs std::exchange declared

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "core/watch/file_watcher.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::watch::testing {

/// The shared per-test folder with a `/` shorthand, since every watch test builds many paths.
class TempDir {
 public:
  const std::filesystem::path& path() const { return dir_.path(); }
  std::filesystem::path operator/(const std::string& name) const { return dir_.path() / name; }

 private:
  dp::test::TempDir dir_;
};

/// Writes `content` to `path` in one go (open, write, close).
inline void write_file_for_test(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

/// Size of a file, or nullopt when it is gone.
inline std::optional<std::uintmax_t> size_for_test(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return std::nullopt;
  }
  return size;
}

/// One on_ready call, with the file's size measured inside the callback.
struct ReadyRecord {
  std::string name;
  ReadyReason reason = ReadyReason::kRenamedIn;
  std::optional<std::uintmax_t> size_at_ready;
  std::chrono::steady_clock::time_point at;
};

/// A FileWatcher on a real io_context run by a background thread; callbacks are recorded and
/// waited for with generous deadlines (the machine is shared and noisy).
class WatcherHarness {
 public:
  using Clock = std::chrono::steady_clock;

  explicit WatcherHarness(FileWatcherOptions options) {
    FileWatcherCallbacks callbacks;
    callbacks.on_ready = [this](const std::filesystem::path& file, ReadyReason reason) {
      ReadyRecord record{file.filename().string(), reason, size_for_test(file), Clock::now()};
      if (on_ready_hook) {
        on_ready_hook(file);
      }
      record_event([&] { ready_.push_back(std::move(record)); });
    };
    callbacks.on_symlink = [this](const std::filesystem::path& link) {
      record_event([&] { symlinks_.push_back(link.filename().string()); });
    };
    callbacks.on_ignored = [this](const std::filesystem::path& entry, const std::string& reason) {
      record_event([&] { ignored_.push_back(entry.filename().string() + ": " + reason); });
    };
    watcher_ = std::make_unique<FileWatcher>(io_, std::move(options), std::move(callbacks));
  }

  ~WatcherHarness() { stop_and_join(); }
  WatcherHarness(const WatcherHarness&) = delete;
  WatcherHarness& operator=(const WatcherHarness&) = delete;

  /// Starts the watcher on the calling thread (the loop is not running yet), then runs the loop.
  void start() {
    watcher_->start();
    run_loop();
  }

  /// Starts the watcher but leaves the loop stopped, so events pile up in the kernel queue.
  void start_without_loop() { watcher_->start(); }

  /// Runs io_context::run() on the background thread.
  void run_loop() {
    runner_ = std::thread([this] {
      io_.run();
      std::lock_guard lock(mutex_);
      loop_returned_ = true;
      changed_.notify_all();
    });
  }

  /// Posts stop() to the loop and waits (bounded) for run() to return; true when it did.
  bool stop_and_join(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    if (!runner_.joinable()) {
      return true;
    }
    boost::asio::post(io_, [this] { watcher_->stop(); });
    std::unique_lock lock(mutex_);
    const bool returned = changed_.wait_for(lock, limit, [this] { return loop_returned_; });
    lock.unlock();
    if (!returned) {
      io_.stop();  // last resort so the test does not hang; the test fails on `returned`
    }
    runner_.join();
    return returned;
  }

  /// Runs `work` on the loop thread and waits for its result.
  template <typename Work>
  auto on_loop(Work work) -> decltype(work(std::declval<FileWatcher&>())) {
    using Result = decltype(work(std::declval<FileWatcher&>()));
    std::promise<Result> promise;
    auto future = promise.get_future();
    boost::asio::post(io_, [&] {
      if constexpr (std::is_void_v<Result>) {
        work(*watcher_);
        promise.set_value();
      } else {
        promise.set_value(work(*watcher_));
      }
    });
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      throw std::runtime_error("the watcher loop did not answer within 10 s");
    }
    return future.get();
  }

  /// Waits until `predicate` (evaluated under the record lock) holds; false on timeout.
  bool wait_until(const std::function<bool()>& predicate,
                  std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, predicate);
  }

  /// Lets `period` pass, for checks that something does NOT happen.
  static void quiet_period(std::chrono::milliseconds period) {
    std::this_thread::sleep_for(period);
  }

  std::vector<ReadyRecord> ready() const {
    std::lock_guard lock(mutex_);
    return ready_;
  }
  /// Under the record lock: how often `name` was handed out.
  std::size_t ready_count_locked(const std::string& name) const {
    return static_cast<std::size_t>(std::count_if(
        ready_.begin(), ready_.end(), [&](const ReadyRecord& r) { return r.name == name; }));
  }
  std::size_t ready_count(const std::string& name) const {
    std::lock_guard lock(mutex_);
    return ready_count_locked(name);
  }
  std::size_t ready_total_locked() const { return ready_.size(); }
  std::vector<std::string> symlinks() const {
    std::lock_guard lock(mutex_);
    return symlinks_;
  }
  std::vector<std::string> ignored() const {
    std::lock_guard lock(mutex_);
    return ignored_;
  }
  std::size_t symlink_count_locked() const { return symlinks_.size(); }
  std::size_t ignored_count_locked() const { return ignored_.size(); }

  boost::asio::io_context& io() { return io_; }
  /// Called on the loop thread inside on_ready before the record is stored (e.g. to move the
  /// file away like the engine does).
  std::function<void(const std::filesystem::path&)> on_ready_hook;
  FileWatcher& watcher() { return *watcher_; }

 private:
  template <typename Change>
  void record_event(Change change) {
    std::lock_guard lock(mutex_);
    change();
    changed_.notify_all();
  }

  boost::asio::io_context io_;
  std::unique_ptr<FileWatcher> watcher_;
  std::thread runner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool loop_returned_ = false;
  std::vector<ReadyRecord> ready_;
  std::vector<std::string> symlinks_;
  std::vector<std::string> ignored_;
};

/// Options for a test folder: short periods so that rescans happen during each test.
inline FileWatcherOptions fast_options_for_test(const std::filesystem::path& dir,
                                                WatchMode mode = WatchMode::kInotify) {
  FileWatcherOptions options;
  options.dir = dir;
  options.mode = mode;
  options.settle = std::chrono::milliseconds(200);
  options.rescan_interval = std::chrono::milliseconds(300);
  options.poll_interval = std::chrono::milliseconds(100);
  options.unclosed_grace = std::chrono::milliseconds(10'000);
  return options;
}

}  // namespace dp::watch::testing
