// End to end: a burst of small files, more than the inotify queue holds, all loaded exactly once.
#include <doctest/doctest.h>

#include <fstream>
#include <optional>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

constexpr const char* kQueueLimit = "/proc/sys/fs/inotify/max_queued_events";

/// Lowers fs.inotify.max_queued_events while the service creates its inotify instance (the
/// kernel reads the limit at inotify_init) and restores it at once, so other processes on the
/// machine see the low limit only for that moment. Inactive when the file is not writable.
class InotifyQueueLimit {
 public:
  explicit InotifyQueueLimit(int events) {
    std::ifstream in(kQueueLimit);
    std::string current;
    if (!(in >> current)) {
      return;
    }
    std::ofstream out(kQueueLimit);
    if (!(out << events << "\n") || !out.flush()) {
      return;
    }
    original_ = current;
  }
  ~InotifyQueueLimit() { restore(); }
  InotifyQueueLimit(const InotifyQueueLimit&) = delete;
  InotifyQueueLimit& operator=(const InotifyQueueLimit&) = delete;

  bool active() const { return original_.has_value(); }
  void restore() {
    if (original_) {
      std::ofstream(kQueueLimit) << *original_ << "\n";
      original_.reset();
    }
  }

 private:
  std::optional<std::string> original_;
};

}  // namespace

TEST_CASE("2,000 small files dropped at once: all loaded exactly once") {
  constexpr int kFiles = 2000;
  constexpr std::uint64_t kRowsPerFile = 3;
  WatchFixture fx;
  // A first start applies the migrations, so the restart below reaches inotify_init quickly.
  fx.start();
  REQUIRE(fx.stop() == 0);

  std::vector<std::string> settings;
  bool overflow_forced = false;
  {
    InotifyQueueLimit limit(16);
    if (limit.active()) {
      fx.start();
      overflow_forced = true;
    } else {
      // No way to shrink the queue here: poll mode shows that the scan alone finds every file.
      MESSAGE("max_queued_events is not writable; the scan path (watch_mode=poll) is tested");
      settings = {"watch_mode=poll", "poll_interval_ms=200"};
      fx.start(settings);
    }
  }

  for (int i = 0; i < kFiles; ++i) {
    write_file(fx.outside() / ("user_traffic_burst_" + std::to_string(i) + ".csv"),
               user_traffic_csv(kRowsPerFile, static_cast<std::uint64_t>(i) * 10 + 1));
  }
  for (int i = 0; i < kFiles; ++i) {
    const auto name = "user_traffic_burst_" + std::to_string(i) + ".csv";
    fs::rename(fx.outside() / name, fx.imports() / name);
  }

  const auto started = std::chrono::steady_clock::now();
  const bool all_loaded =
      fx.wait_for("SELECT count(*) FROM ingest.files", std::to_string(kFiles), 150s);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto output = fx.service_output();
  std::size_t deferred = 0;
  for (auto at = output.find("load queue full"); at != std::string::npos;
       at = output.find("load queue full", at + 1)) {
    ++deferred;
  }
  MESSAGE(kFiles << " files decided in " << seconds << " s; " << deferred
                 << " hand-outs deferred to a later scan by the full load queue");
  INFO("service output (tail):\n"
       << fx.service_output().substr(
              fx.service_output().size() > 4000 ? fx.service_output().size() - 4000 : 0));
  CHECK(all_loaded);
  if (overflow_forced) {
    CHECK(fx.service_output().find("inotify queue overflow") != std::string::npos);
  }
  CHECK(fx.count("SELECT count(*) FROM ingest.files WHERE status = 'loaded'") == kFiles);
  CHECK(fx.count("SELECT count(DISTINCT original_name) FROM ingest.files") == kFiles);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == kFiles * kRowsPerFile);
  CHECK(fx.count("SELECT count(*) FROM (SELECT user_id FROM staging.user_traffic "
                 "GROUP BY user_id HAVING count(*) > 1) twice") == 0);
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 20s));
  CHECK(regular_files(fx.processed()).size() == kFiles);
  CHECK(fx.stop() == 0);
}
