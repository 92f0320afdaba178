// Unit tests of the readiness rules with injected time: no clock, no files.

#include "core/watch/readiness.hpp"

#include <doctest/doctest.h>

#include <map>

namespace dp::watch {
namespace {

using Clock = ReadinessTracker::Clock;
using std::chrono::milliseconds;

/// A verifier whose answers the test sets per name, counting how often it was asked.
struct ScriptedFolder {
  std::map<std::string, Verification> answers;
  std::map<std::string, int> asked;

  Verifier verifier() {
    return [this](const std::string& name) {
      ++asked[name];
      const auto it = answers.find(name);
      return it == answers.end() ? Verification{} : it->second;
    };
  }
  void set(const std::string& name, std::uint64_t size, WriterState writer,
           std::int64_t mtime = 1) {
    answers[name] = Verification{FileStat{size, mtime, 1, 42}, writer};
  }
};

std::vector<std::string> names(const std::vector<ReadyFile>& files) {
  std::vector<std::string> result;
  for (const auto& file : files) {
    result.push_back(file.name);
  }
  return result;
}

const Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1);

ReadinessOptions options() {
  ReadinessOptions o;
  o.settle = milliseconds(200);
  o.unclosed_grace = milliseconds(5'000);
  o.writer_recheck = milliseconds(1'000);
  return o;
}

TEST_CASE("a file renamed in is ready at once, once, without asking the verifier") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.renamed_in("a.csv", t0);
  CHECK(tracker.next_deadline() == t0);
  const auto ready = tracker.poll(t0, folder.verifier());
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].name == "a.csv");
  CHECK(ready[0].reason == ReadyReason::kRenamedIn);
  CHECK(folder.asked.empty());
  CHECK(tracker.poll(t0 + std::chrono::hours(1), folder.verifier()).empty());
  CHECK(tracker.is_handed_out("a.csv"));
  CHECK(tracker.pending().empty());
  CHECK_FALSE(tracker.next_deadline().has_value());
}

TEST_CASE("a renamed file modified afterwards waits for its close and the settle time") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  folder.set("a.csv", 10, WriterState::kNoWriter);
  tracker.renamed_in("a.csv", t0);
  tracker.modified("a.csv", t0 + milliseconds(1));
  CHECK(tracker.poll(t0 + milliseconds(2), folder.verifier()).empty());
  tracker.closed_after_write("a.csv", t0 + milliseconds(50));
  CHECK(tracker.poll(t0 + milliseconds(249), folder.verifier()).empty());
  const auto ready = tracker.poll(t0 + milliseconds(250), folder.verifier());
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].reason == ReadyReason::kClosedAndSettled);
}

TEST_CASE("a closed file is ready after the settle time, and only once") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  folder.set("b.csv", 100, WriterState::kNoWriter);
  tracker.modified("b.csv", t0);
  tracker.closed_after_write("b.csv", t0 + milliseconds(10));
  CHECK(tracker.next_deadline() == t0 + milliseconds(210));
  CHECK(tracker.poll(t0 + milliseconds(209), folder.verifier()).empty());
  CHECK(folder.asked["b.csv"] == 0);
  CHECK(names(tracker.poll(t0 + milliseconds(210), folder.verifier())) ==
        std::vector<std::string>{"b.csv"});
  CHECK(tracker.poll(t0 + milliseconds(5'000), folder.verifier()).empty());
}

TEST_CASE("a close followed by more writes restarts the wait") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  folder.set("b.csv", 100, WriterState::kNoWriter);
  tracker.closed_after_write("b.csv", t0);
  tracker.modified("b.csv", t0 + milliseconds(150));
  CHECK(tracker.poll(t0 + milliseconds(4'000), folder.verifier()).empty());
  tracker.closed_after_write("b.csv", t0 + milliseconds(4'000));
  CHECK(tracker.poll(t0 + milliseconds(4'100), folder.verifier()).empty());
  CHECK(tracker.poll(t0 + milliseconds(4'200), folder.verifier()).size() == 1);
}

TEST_CASE("a closed file that a second writer still holds open waits for the recheck") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  folder.set("c.csv", 7, WriterState::kWriterOpen);
  tracker.closed_after_write("c.csv", t0);
  CHECK(tracker.poll(t0 + milliseconds(200), folder.verifier()).empty());
  CHECK(folder.asked["c.csv"] == 1);
  CHECK(tracker.next_deadline() == t0 + milliseconds(1'200));
  CHECK(tracker.poll(t0 + milliseconds(1'199), folder.verifier()).empty());
  CHECK(folder.asked["c.csv"] == 1);
  folder.set("c.csv", 7, WriterState::kNoWriter);
  CHECK(tracker.poll(t0 + milliseconds(1'200), folder.verifier()).size() == 1);
}

TEST_CASE("a file written but never closed is not ready however long it is quiet") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.modified("d.csv", t0);
  SUBCASE("a writer still has it open") {
    folder.set("d.csv", 5, WriterState::kWriterOpen);
    for (int seconds = 1; seconds <= 60; ++seconds) {
      CHECK(tracker.poll(t0 + std::chrono::seconds(seconds), folder.verifier()).empty());
    }
    CHECK(tracker.pending().size() == 1);
  }
  SUBCASE("the probe cannot tell") {
    folder.set("d.csv", 5, WriterState::kUnknown);
    for (int seconds = 1; seconds <= 60; ++seconds) {
      CHECK(tracker.poll(t0 + std::chrono::seconds(seconds), folder.verifier()).empty());
    }
  }
  SUBCASE("the probe proves the writer gone (a hard link, a lost close)") {
    folder.set("d.csv", 5, WriterState::kNoWriter);
    CHECK(tracker.poll(t0 + milliseconds(4'999), folder.verifier()).empty());
    CHECK(folder.asked["d.csv"] == 0);
    const auto ready = tracker.poll(t0 + milliseconds(5'000), folder.verifier());
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].reason == ReadyReason::kWriterGone);
  }
}

TEST_CASE("a file found only by a scan needs an unchanged stat over the settle time") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.seen_by_scan("e.csv", FileStat{10, 1, 1, 42}, t0);
  folder.set("e.csv", 20, WriterState::kUnknown);  // grew since the scan
  CHECK(tracker.poll(t0 + milliseconds(200), folder.verifier()).empty());
  CHECK(tracker.next_deadline() == t0 + milliseconds(400));
  folder.set("e.csv", 30, WriterState::kUnknown);
  CHECK(tracker.poll(t0 + milliseconds(400), folder.verifier()).empty());
  const auto ready = tracker.poll(t0 + milliseconds(600), folder.verifier());
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].reason == ReadyReason::kQuietAfterScan);
}

TEST_CASE("a scanned file whose writer pauses with it open is held back by the probe") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.seen_by_scan("f.csv", FileStat{10, 1, 1, 42}, t0);
  folder.set("f.csv", 10, WriterState::kWriterOpen);
  CHECK(tracker.poll(t0 + milliseconds(200), folder.verifier()).empty());
  CHECK(tracker.poll(t0 + milliseconds(900), folder.verifier()).empty());
  folder.set("f.csv", 10, WriterState::kNoWriter);
  CHECK(tracker.poll(t0 + milliseconds(1'200), folder.verifier()).size() == 1);
}

TEST_CASE("scans of a handed-out file hand it out again only when its content changed") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  const FileStat first{10, 1, 1, 42};
  tracker.seen_by_scan("g.csv", first, t0);
  folder.set("g.csv", 10, WriterState::kNoWriter);
  REQUIRE(tracker.poll(t0 + milliseconds(200), folder.verifier()).size() == 1);
  tracker.seen_by_scan("g.csv", first, t0 + milliseconds(300));
  CHECK(tracker.poll(t0 + milliseconds(900), folder.verifier()).empty());
  SUBCASE("new bytes") {
    tracker.seen_by_scan("g.csv", FileStat{11, 2, 1, 42}, t0 + milliseconds(1'000));
    folder.set("g.csv", 11, WriterState::kNoWriter, 2);
  }
  SUBCASE("another file under the same name (new inode)") {
    tracker.seen_by_scan("g.csv", FileStat{10, 1, 1, 43}, t0 + milliseconds(1'000));
    folder.answers["g.csv"] = Verification{FileStat{10, 1, 1, 43}, WriterState::kNoWriter};
  }
  CHECK(tracker.pending().size() == 1);
  CHECK(tracker.poll(t0 + milliseconds(1'200), folder.verifier()).size() == 1);
}

TEST_CASE("a bare close after the hand-out changes nothing, a modification starts anew") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  folder.set("h.csv", 3, WriterState::kNoWriter);
  tracker.renamed_in("h.csv", t0);
  REQUIRE(tracker.poll(t0, folder.verifier()).size() == 1);
  // The writer renamed the file in and closed its descriptor afterwards.
  tracker.closed_after_write("h.csv", t0 + milliseconds(1));
  CHECK(tracker.poll(t0 + milliseconds(1'000), folder.verifier()).empty());
  tracker.modified("h.csv", t0 + milliseconds(2'000));
  tracker.closed_after_write("h.csv", t0 + milliseconds(2'001));
  CHECK(tracker.pending().at(0).first_seen == t0 + milliseconds(2'000));
  CHECK(tracker.poll(t0 + milliseconds(2'201), folder.verifier()).size() == 1);
}

TEST_CASE("a file that vanished before the hand-out is dropped") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;  // no answer: stat nullopt
  tracker.closed_after_write("gone.csv", t0);
  CHECK(tracker.poll(t0 + milliseconds(300), folder.verifier()).empty());
  CHECK(tracker.known_names().empty());
}

TEST_CASE("forget drops a handed-out file but keeps a new file under the same name") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.renamed_in("i.csv", t0);
  REQUIRE(tracker.poll(t0, folder.verifier()).size() == 1);
  SUBCASE("moved away") {
    tracker.forget("i.csv");
    CHECK(tracker.known_names().empty());
  }
  SUBCASE("replaced before the engine finished") {
    tracker.renamed_in("i.csv", t0 + milliseconds(5));
    tracker.forget("i.csv");
    CHECK(tracker.poll(t0 + milliseconds(6), folder.verifier()).size() == 1);
  }
}

TEST_CASE("a removed and re-created file is handed out again") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.renamed_in("j.csv", t0);
  REQUIRE(tracker.poll(t0, folder.verifier()).size() == 1);
  tracker.removed("j.csv");
  tracker.renamed_in("j.csv", t0 + milliseconds(10));
  CHECK(tracker.poll(t0 + milliseconds(10), folder.verifier()).size() == 1);
}

TEST_CASE("after lost events a writing file is judged like a scanned one") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  tracker.modified("k.csv", t0);
  tracker.renamed_in("done.csv", t0);
  REQUIRE(tracker.poll(t0, folder.verifier()).size() == 1);
  tracker.events_lost(t0 + milliseconds(100));
  tracker.seen_by_scan("k.csv", FileStat{9, 1, 1, 42}, t0 + milliseconds(100));
  tracker.seen_by_scan("done.csv", FileStat{4, 1, 1, 7}, t0 + milliseconds(100));
  folder.set("k.csv", 9, WriterState::kUnknown);
  const auto ready = tracker.poll(t0 + milliseconds(300), folder.verifier());
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].name == "k.csv");
  CHECK(ready[0].reason == ReadyReason::kQuietAfterScan);
}

TEST_CASE("a renamed-in file replaced while events were lost is found by its new inode") {
  ReadinessTracker tracker(options());
  ScriptedFolder folder;
  const FileStat renamed{50, 5, 1, 100};
  tracker.renamed_in("r.csv", t0, renamed);
  REQUIRE(tracker.poll(t0, folder.verifier()).size() == 1);
  tracker.closed_after_write("r.csv", t0 + milliseconds(1));  // the writer closes after renaming
  tracker.events_lost(t0 + milliseconds(500));
  tracker.seen_by_scan("r.csv", renamed, t0 + milliseconds(500));
  CHECK(tracker.pending().empty());
  const FileStat replacement{50, 5, 1, 101};
  tracker.seen_by_scan("r.csv", replacement, t0 + milliseconds(600));
  folder.answers["r.csv"] = Verification{replacement, WriterState::kNoWriter};
  const auto ready = tracker.poll(t0 + milliseconds(800), folder.verifier());
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].reason == ReadyReason::kQuietAfterScan);
}

TEST_CASE("pending files keep the time they were first seen") {
  ReadinessTracker tracker(options());
  tracker.modified("slow.csv", t0);
  tracker.modified("slow.csv", t0 + milliseconds(500));
  tracker.seen_by_scan("other.csv", FileStat{1, 1, 1, 1}, t0 + milliseconds(700));
  const auto pending = tracker.pending();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].name == "other.csv");
  CHECK(pending[0].first_seen == t0 + milliseconds(700));
  CHECK(pending[1].name == "slow.csv");
  CHECK(pending[1].first_seen == t0);
  CHECK(tracker.next_deadline() == t0 + milliseconds(900));
}

}  // namespace
}  // namespace dp::watch
