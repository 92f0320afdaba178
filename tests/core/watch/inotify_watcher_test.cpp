// The raw inotify layer: which folder events arrive, in which order, and what ends a watch.

#include <utility>  // before Asio: Boost 1.74 with GCC 12 in C++20 needs std::exchange declared

#include "core/watch/inotify_watcher.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "tests/core/watch/watch_test_support.hpp"

namespace dp::watch {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::write_file_for_test;

/// Runs the loop until `done` holds or 5 s pass.
void run_until(boost::asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(20ms);
    io.restart();
  }
}

std::string describe(const FolderEvent& event) {
  static const char* const kNames[] = {"created",  "modified", "closed",
                                       "moved in", "deleted",  "moved out"};
  return std::string(kNames[static_cast<int>(event.kind)]) + " " + event.name +
         (event.is_directory ? "/" : "");
}

TEST_CASE("entry events arrive in order, with directories marked") {
  TempDir dir;
  boost::asio::io_context io;
  std::vector<std::string> seen;
  InotifyCallbacks callbacks;
  callbacks.on_events = [&](const std::vector<FolderEvent>& events) {
    for (const auto& event : events) {
      seen.push_back(describe(event));
    }
  };
  InotifyWatcher watcher(io, dir.path(), callbacks);
  watcher.start();
  CHECK(watcher.watching());
  write_file_for_test(dir / "a.csv", "x");
  std::filesystem::rename(dir / "a.csv", dir / "b.csv");
  std::filesystem::create_directory(dir / "sub");
  std::filesystem::remove(dir / "b.csv");
  run_until(io, [&] { return seen.size() >= 7; });
  CHECK(seen == std::vector<std::string>{"created a.csv", "modified a.csv", "closed a.csv",
                                         "moved out a.csv", "moved in b.csv", "created sub/",
                                         "deleted b.csv"});
  watcher.stop();
  CHECK_FALSE(watcher.watching());
}

TEST_CASE("deleting the folder ends the watch once, rewatch succeeds when it is back") {
  TempDir base;
  const auto folder = base / "watched";
  std::filesystem::create_directory(folder);
  boost::asio::io_context io;
  std::vector<std::string> losses;
  InotifyCallbacks callbacks;
  callbacks.on_watch_lost = [&](const std::string& why) { losses.push_back(why); };
  InotifyWatcher watcher(io, folder, callbacks);
  watcher.start();
  std::filesystem::remove_all(folder);
  run_until(io, [&] { return !losses.empty(); });
  io.run_for(100ms);
  REQUIRE(losses.size() == 1);
  CHECK(losses[0] == "folder deleted");
  CHECK_FALSE(watcher.watching());
  CHECK_FALSE(watcher.rewatch());
  std::filesystem::create_directory(folder);
  CHECK(watcher.rewatch());
  CHECK(watcher.watching());
}

TEST_CASE("stop() cancels the pending read so that run() returns") {
  TempDir dir;
  boost::asio::io_context io;
  bool called = false;
  InotifyCallbacks callbacks;
  callbacks.on_events = [&](const std::vector<FolderEvent>&) { called = true; };
  InotifyWatcher watcher(io, dir.path(), callbacks);
  watcher.start();
  boost::asio::steady_timer timer(io, 50ms);
  timer.async_wait([&](const boost::system::error_code&) { watcher.stop(); });
  const auto before = std::chrono::steady_clock::now();
  io.run();  // returns only when nothing is pending any more
  CHECK(std::chrono::steady_clock::now() - before < 5s);
  write_file_for_test(dir / "late.csv", "x");
  io.restart();
  io.run_for(100ms);
  CHECK_FALSE(called);
}

}  // namespace
}  // namespace dp::watch
