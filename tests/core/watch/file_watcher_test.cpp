// The watcher end to end: real folders, real inotify, real writers, a real io_context.

#include "core/watch/file_watcher.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "core/watch/name_filter.hpp"
#include "tests/core/watch/watch_test_support.hpp"

namespace dp::watch {
namespace {

using namespace std::chrono_literals;
using testing::fast_options_for_test;
using testing::TempDir;
using testing::WatcherHarness;
using testing::write_file_for_test;

/// Writes `pieces` chunks of `piece_size` bytes with pauses, keeping the descriptor open the
/// whole time, like a slow network copy; `closing` turns true just before close().
void slow_write(const std::filesystem::path& path, int pieces, std::size_t piece_size,
                std::chrono::milliseconds pause, std::atomic<bool>& closing) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  const std::string piece(piece_size, 'x');
  for (int i = 0; i < pieces; ++i) {
    REQUIRE(::write(fd, piece.data(), piece.size()) == static_cast<ssize_t>(piece.size()));
    // One long pause in the middle: far longer than the settle time.
    std::this_thread::sleep_for(i == pieces / 2 ? pause * 7 : pause);
  }
  closing = true;
  ::close(fd);
}

TEST_CASE("a file renamed in is ready at once and exactly once") {
  TempDir dir;
  WatcherHarness harness(fast_options_for_test(dir.path()));
  harness.start();
  write_file_for_test(dir / ".incoming.csv", "id,value\n1,2\n");
  std::filesystem::rename(dir / ".incoming.csv", dir / "data.csv");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("data.csv") == 1; }, 5s));
  const auto ready = harness.ready();
  CHECK(ready[0].reason == ReadyReason::kRenamedIn);
  CHECK(ready[0].size_at_ready == 13);
  // Several periodic rescans (every 300 ms) and an explicit one must not hand it out again.
  WatcherHarness::quiet_period(1200ms);
  harness.on_loop([](FileWatcher& watcher) { watcher.rescan_now(); });
  WatcherHarness::quiet_period(400ms);
  CHECK(harness.ready_count("data.csv") == 1);
  CHECK(harness.ready().size() == 1);
  CHECK(harness.ignored().empty());
}

TEST_CASE("a slow writer keeping the file open is not ready until it closes, then once") {
  TempDir dir;
  auto options = fast_options_for_test(dir.path());
  SUBCASE("quiet pauses are shorter than the unclosed grace") {}
  SUBCASE("a quiet pause outlasts the unclosed grace: the writer probe holds the file back") {
    options.unclosed_grace = 300ms;
  }
  WatcherHarness harness(options);
  std::atomic<bool> closing = false;
  std::atomic<bool> ready_before_close = false;
  harness.on_ready_hook = [&](const std::filesystem::path&) {
    if (!closing) {
      ready_before_close = true;
    }
  };
  harness.start();
  constexpr int kPieces = 16;
  constexpr std::size_t kPieceSize = 4096;
  std::thread writer(slow_write, dir / "slow.csv", kPieces, kPieceSize, 100ms, std::ref(closing));
  std::this_thread::sleep_for(300ms);
  const auto pending =
      harness.on_loop([](FileWatcher& watcher) { return watcher.pending_files(); });
  writer.join();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].name == "slow.csv");
  CHECK(pending[0].first_seen <= std::chrono::steady_clock::now());
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("slow.csv") == 1; }, 5s));
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready_count("slow.csv") == 1);
  const auto ready = harness.ready();
  CHECK_FALSE(ready_before_close);
  CHECK(ready[0].reason == ReadyReason::kClosedAndSettled);
  CHECK(ready[0].size_at_ready == kPieces * kPieceSize);
  CHECK(harness.on_loop([](FileWatcher& watcher) { return watcher.pending_files(); }).empty());
}

TEST_CASE("a file already there at start-up is ready after the settle time") {
  TempDir dir;
  write_file_for_test(dir / "old.csv", "a,b\n1,2\n3,4\n");
  WatcherHarness harness(fast_options_for_test(dir.path()));
  const auto started = std::chrono::steady_clock::now();
  harness.start();
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("old.csv") == 1; }, 5s));
  const auto ready = harness.ready();
  CHECK(ready[0].reason == ReadyReason::kQuietAfterScan);
  CHECK(ready[0].at - started >= 200ms);
  WatcherHarness::quiet_period(1000ms);
  CHECK(harness.ready_count("old.csv") == 1);
}

TEST_CASE("hidden and temporary names are ignored until renamed to a final name") {
  TempDir dir;
  WatcherHarness harness(fast_options_for_test(dir.path()));
  harness.start();
  write_file_for_test(dir / ".hidden.csv", "secret\n");
  write_file_for_test(dir / "download.csv.crdownload", "partial\n");
  {
    std::atomic<bool> closing = false;
    slow_write(dir / "data.csv.part", 4, 100, 50ms, closing);
  }
  WatcherHarness::quiet_period(1200ms);
  CHECK(harness.ready().empty());
  const auto ignored = harness.ignored();
  CHECK(ignored.size() == 2);
  CHECK(std::count(ignored.begin(), ignored.end(),
                   "data.csv.part: " + std::string(to_string(NameVerdict::kTemporary))) == 1);

  std::filesystem::rename(dir / "data.csv.part", dir / "data.csv");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("data.csv") == 1; }, 5s));
  CHECK(harness.ready()[0].reason == ReadyReason::kRenamedIn);
  CHECK(harness.ready()[0].size_at_ready == 400);
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready().size() == 1);
  CHECK(harness.ignored().size() == 2);
}

TEST_CASE("symlinks are reported once and never handed out, other entries are ignored") {
  TempDir dir;
  TempDir elsewhere;
  write_file_for_test(elsewhere / "target.csv", "a\n1\n");
  std::filesystem::create_symlink(elsewhere / "target.csv", dir / "at-start.csv");
  WatcherHarness harness(fast_options_for_test(dir.path()));
  harness.start();
  std::filesystem::create_symlink(elsewhere / "target.csv", dir / "link.csv");
  std::filesystem::create_directory(dir / "subdir");
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  // A temporary name wins over the entry type, in events and in scans alike.
  std::filesystem::create_symlink(elsewhere / "target.csv", dir / "link.csv.part");
  std::filesystem::create_directory(dir / ".hidden-dir");
  REQUIRE(harness.wait_until(
      [&] { return harness.symlink_count_locked() == 2 && harness.ignored_count_locked() == 3; },
      5s));
  WatcherHarness::quiet_period(1000ms);  // three rescans
  auto symlinks = harness.symlinks();
  std::sort(symlinks.begin(), symlinks.end());
  CHECK(symlinks == std::vector<std::string>{"at-start.csv", "link.csv"});
  auto ignored = harness.ignored();
  std::sort(ignored.begin(), ignored.end());
  CHECK(ignored == std::vector<std::string>{
                       "link.csv.part: " + std::string(to_string(NameVerdict::kTemporary)),
                       "pipe: named pipe", "subdir: directory"});
  CHECK(harness.ready().empty());

  // A symlink removed and created again is a new appearance.
  std::filesystem::remove(dir / "link.csv");
  std::filesystem::create_symlink(elsewhere / "target.csv", dir / "link.csv");
  CHECK(harness.wait_until([&] { return harness.symlink_count_locked() == 3; }, 5s));
}

TEST_CASE("the engine's move and forget let a new file under the same name be handed out") {
  TempDir dir;
  std::filesystem::create_directory(dir / ".processed");
  WatcherHarness harness(fast_options_for_test(dir.path()));
  harness.on_ready_hook = [&](const std::filesystem::path& file) {
    std::filesystem::rename(file, dir / ".processed" / (file.filename().string() + ".1"));
    harness.watcher().forget(file);
  };
  harness.start();
  write_file_for_test(dir / "sales.csv", "first\n");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("sales.csv") == 1; }, 5s));
  write_file_for_test(dir / "sales.csv", "second version\n");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("sales.csv") == 2; }, 5s));
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready_count("sales.csv") == 2);
  CHECK(harness.ready()[1].size_at_ready == 15);
  CHECK(harness.ignored().empty());
}

TEST_CASE("a file rewritten in place after the hand-out is handed out again") {
  TempDir dir;
  WatcherHarness harness(fast_options_for_test(dir.path()));
  harness.start();
  write_file_for_test(dir / ".t", "v1\n");
  std::filesystem::rename(dir / ".t", dir / "again.csv");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("again.csv") == 1; }, 5s));
  write_file_for_test(dir / "again.csv", "version two\n");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("again.csv") == 2; }, 5s));
  CHECK(harness.ready()[1].reason == ReadyReason::kClosedAndSettled);
  CHECK(harness.ready()[1].size_at_ready == 12);
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready_count("again.csv") == 2);
}

TEST_CASE("poll mode finds files without inotify, and waits for a writer holding its file") {
  TempDir dir;
  WatcherHarness harness(fast_options_for_test(dir.path(), WatchMode::kPoll));
  harness.start();
  CHECK(harness.on_loop([](FileWatcher& watcher) { return watcher.mode(); }) == WatchMode::kPoll);
  write_file_for_test(dir / "polled.csv", "a\n1\n");
  // A shell writes in pieces through one descriptor, pausing for 1.5 s with the file open.
  const std::string command =
      "sh -c '{ for i in 1 2 3 4 5; do printf 0123456789; sleep 0.1; "
      "done; sleep 1.5; printf 0123456789; } > \"" +
      (dir / "shell.csv").string() + "\"'";
  std::thread writer([&] { CHECK(std::system(command.c_str()) == 0); });
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("polled.csv") == 1; }, 5s));
  CHECK(harness.ready()[0].reason == ReadyReason::kQuietAfterScan);
  writer.join();
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("shell.csv") == 1; }, 10s));
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready_count("shell.csv") == 1);
  CHECK(harness.ready_count("polled.csv") == 1);
  for (const auto& record : harness.ready()) {
    if (record.name == "shell.csv") {
      CHECK(record.size_at_ready == 60);
    }
  }
  const auto stats = harness.on_loop([](FileWatcher& watcher) { return watcher.stats(); });
  CHECK(stats.inotify_events == 0);
  CHECK(stats.scans >= 5);
}

TEST_CASE("stop() makes run() return promptly, also with work pending and from a callback") {
  TempDir dir;
  SUBCASE("from outside, with a writer holding a file open") {
    WatcherHarness harness(fast_options_for_test(dir.path()));
    harness.start();
    const int fd = ::open((dir / "held.csv").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, "x", 1) == 1);
    std::this_thread::sleep_for(300ms);
    const auto before = std::chrono::steady_clock::now();
    CHECK(harness.stop_and_join(5s));
    CHECK(std::chrono::steady_clock::now() - before < 5s);
    ::close(fd);
  }
  SUBCASE("from inside on_ready") {
    WatcherHarness harness(fast_options_for_test(dir.path()));
    std::atomic<bool> stopped_in_callback = false;
    harness.on_ready_hook = [&](const std::filesystem::path&) {
      harness.watcher().stop();
      stopped_in_callback = true;
    };
    harness.start();
    write_file_for_test(dir / ".x", "1\n");
    std::filesystem::rename(dir / ".x", dir / "one.csv");
    REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("one.csv") == 1; }, 5s));
    CHECK(stopped_in_callback);
    // No work guard: with everything cancelled, run() returns by itself.
    CHECK(harness.stop_and_join(5s));
  }
}

TEST_CASE("a deleted and re-created folder is watched again") {
  TempDir base;
  const auto imports = base / "imports";
  std::filesystem::create_directory(imports);
  WatcherHarness harness(fast_options_for_test(imports));
  harness.start();
  std::filesystem::remove_all(imports);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (harness.on_loop([](FileWatcher& w) { return w.stats().watch_losses; }) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  REQUIRE(harness.on_loop([](FileWatcher& w) { return w.stats().watch_losses; }) >= 1);
  std::filesystem::create_directory(imports);
  write_file_for_test(imports / "after.csv", "back\n");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("after.csv") == 1; }, 10s));
  WatcherHarness::quiet_period(300ms);  // the restore is retried every 100 ms
  // Events flow again through the restored watch: a rename is seen as a rename.
  write_file_for_test(imports / ".r", "r\n");
  std::filesystem::rename(imports / ".r", imports / "renamed.csv");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("renamed.csv") == 1; }, 5s));
  for (const auto& record : harness.ready()) {
    if (record.name == "renamed.csv") {
      CHECK(record.reason == ReadyReason::kRenamedIn);
    }
  }
}

TEST_CASE("a hard-linked file, created but never closed, is ready once its writer is gone") {
  TempDir dir;
  TempDir elsewhere;
  write_file_for_test(elsewhere / "source.csv", "a,b\n1,2\n");
  auto options = fast_options_for_test(dir.path());
  options.unclosed_grace = 500ms;
  WatcherHarness harness(options);
  harness.start();
  // link() raises IN_CREATE only: no write, no close.
  std::filesystem::create_hard_link(elsewhere / "source.csv", dir / "linked.csv");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("linked.csv") == 1; }, 5s));
  CHECK(harness.ready()[0].reason == ReadyReason::kWriterGone);
  CHECK(harness.ready()[0].size_at_ready == 8);
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready_count("linked.csv") == 1);
}

TEST_CASE("a folder moved away is let go, and the new folder at the path is watched") {
  TempDir base;
  const auto imports = base / "imports";
  std::filesystem::create_directory(imports);
  WatcherHarness harness(fast_options_for_test(imports));
  harness.start();
  std::filesystem::rename(imports, base / "imports.old");
  std::filesystem::create_directory(imports);
  write_file_for_test(base / "imports.old" / "stray.csv", "old folder\n");
  write_file_for_test(imports / "fresh.csv", "new folder\n");
  REQUIRE(harness.wait_until([&] { return harness.ready_count_locked("fresh.csv") == 1; }, 10s));
  WatcherHarness::quiet_period(800ms);
  CHECK(harness.ready_count("stray.csv") == 0);
  CHECK(harness.ready().size() == 1);
  CHECK(harness.on_loop([](FileWatcher& w) { return w.stats().watch_losses; }) >= 1);
}

TEST_CASE("the watcher refuses a missing folder at start-up") {
  TempDir base;
  boost::asio::io_context io;
  FileWatcher watcher(io, fast_options_for_test(base / "missing"), FileWatcherCallbacks{});
  CHECK_THROWS_AS(watcher.start(), std::system_error);
}

}  // namespace
}  // namespace dp::watch
