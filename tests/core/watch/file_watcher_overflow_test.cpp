// Lost inotify events: the scan is the truth, so every file is still handed out exactly once.

#include "core/watch/file_watcher.hpp"

#include <unistd.h>

#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <map>

#include "tests/core/watch/watch_test_support.hpp"

namespace dp::watch {
namespace {

using namespace std::chrono_literals;
using testing::fast_options_for_test;
using testing::TempDir;
using testing::WatcherHarness;
using testing::write_file_for_test;

constexpr int kFileCount = 2000;
constexpr const char* kMaxQueuedEvents = "/proc/sys/fs/inotify/max_queued_events";

std::string file_name(int i) {
  return "file-" + std::to_string(i) + ".csv";
}

/// Lowers the kernel's inotify queue length for instances created while it lives and restores
/// the previous value at once; inactive when the setting is not writable (no root, read-only
/// /proc in a container).
class TinyInotifyQueue {
 public:
  TinyInotifyQueue() {
    if (::access(kMaxQueuedEvents, W_OK) != 0) {
      return;
    }
    std::ifstream in(kMaxQueuedEvents);
    if (!(in >> previous_)) {
      return;
    }
    active_ = write(16);
  }
  ~TinyInotifyQueue() { restore(); }
  TinyInotifyQueue(const TinyInotifyQueue&) = delete;
  TinyInotifyQueue& operator=(const TinyInotifyQueue&) = delete;

  bool active() const { return active_; }
  void restore() {
    if (active_) {
      write(previous_);
      active_ = false;
    }
  }

 private:
  static bool write(long value) {
    std::ofstream out(kMaxQueuedEvents);
    out << value << '\n';
    out.close();
    return static_cast<bool>(out);
  }

  long previous_ = 0;
  bool active_ = false;
};

/// Waits until every file was handed out, then checks each name came exactly once.
void check_each_file_once(WatcherHarness& harness) {
  REQUIRE(harness.wait_until(
      [&] { return harness.ready_total_locked() >= static_cast<std::size_t>(kFileCount); }, 60s));
  // Periodic rescans (every 300 ms) and an explicit one must not hand anything out again.
  WatcherHarness::quiet_period(1000ms);
  harness.on_loop([](FileWatcher& watcher) { watcher.rescan_now(); });
  WatcherHarness::quiet_period(500ms);
  std::map<std::string, int> counts;
  for (const auto& record : harness.ready()) {
    ++counts[record.name];
  }
  CHECK(counts.size() == static_cast<std::size_t>(kFileCount));
  int duplicates = 0;
  for (int i = 0; i < kFileCount; ++i) {
    const auto it = counts.find(file_name(i));
    if (it == counts.end() || it->second != 1) {
      ++duplicates;
    }
  }
  CHECK(duplicates == 0);
}

TEST_CASE("an inotify queue overflow is caught up by a rescan: every file exactly once") {
  TempDir dir;
  WatcherHarness harness(fast_options_for_test(dir.path()));
  {
    TinyInotifyQueue tiny_queue;
    if (!tiny_queue.active()) {
      MESSAGE(kMaxQueuedEvents << " is not writable: overflow is not forced, only likely");
    }
    // inotify_init1 runs in start(): only this instance gets the tiny queue.
    harness.start_without_loop();
  }
  // The loop is not running: every event waits in the kernel queue, which overflows.
  for (int i = 0; i < kFileCount; ++i) {
    write_file_for_test(dir / file_name(i), "id,n\n" + std::to_string(i) + "\n");
  }
  harness.run_loop();
  check_each_file_once(harness);
  const auto stats = harness.on_loop([](FileWatcher& watcher) { return watcher.stats(); });
  if (::access(kMaxQueuedEvents, W_OK) == 0) {
    CHECK(stats.overflows >= 1);
  }
  for (const auto& record : harness.ready()) {
    CHECK(record.reason == ReadyReason::kQuietAfterScan);
    break;
  }
}

TEST_CASE(
    "two thousand files renamed in while the loop is blocked are each handed out exactly once") {
  TempDir dir;
  std::filesystem::create_directory(dir / ".processed");
  WatcherHarness harness(fast_options_for_test(dir.path()));
  // Like the engine: move each handed-out file aside and forget it.
  harness.on_ready_hook = [&](const std::filesystem::path& file) {
    std::filesystem::rename(file, dir / ".processed" / file.filename());
    harness.watcher().forget(file);
  };
  harness.start();
  std::promise<void> release;
  std::promise<void> blocked;
  boost::asio::post(harness.io(), [&] {
    blocked.set_value();
    release.get_future().wait();
  });
  blocked.get_future().wait();
  for (int i = 0; i < kFileCount; ++i) {
    write_file_for_test(dir / ".incoming", std::to_string(i) + "\n");
    std::filesystem::rename(dir / ".incoming", dir / file_name(i));
  }
  release.set_value();
  check_each_file_once(harness);
  CHECK(std::distance(std::filesystem::directory_iterator(dir / ".processed"),
                      std::filesystem::directory_iterator()) == kFileCount);
}

}  // namespace
}  // namespace dp::watch
