// End to end: the service never reads a file before its writer is done with it.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <thread>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    REQUIRE(n > 0);
    done += static_cast<std::size_t>(n);
  }
}

/// Writes a user_traffic file into imports/ in pieces cut mid-row, pausing far longer than
/// settle_ms (100 ms) with the file open, and checks after each pause that nothing was loaded.
void write_slowly(const WatchFixture& fx, const fs::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  constexpr int kPieces = 8;
  const auto piece = content.size() / kPieces + 7;
  for (std::size_t offset = 0; offset < content.size(); offset += piece) {
    write_all(fd, content.substr(offset, piece));
    std::this_thread::sleep_for(600ms);
    CHECK(fx.count("SELECT count(*) FROM ingest.files") == 0);
  }
  ::close(fd);
}

/// The file was loaded once and completely, and archived.
void check_loaded_once(const WatchFixture& fx, const fs::path& path, std::uint64_t rows) {
  CHECK(fx.wait_for("SELECT status || ':' || rows_loaded || ':' || rows_rejected FROM ingest.files",
                    "loaded:" + std::to_string(rows) + ":0"));
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == static_cast<long long>(rows));
  CHECK(wait_until([&] { return fs::exists(fx.processed() / path.filename()); }, 10s));
  // Loaded once: a second incarnation would show up as a second ledger row.
  std::this_thread::sleep_for(500ms);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 1);
}

}  // namespace

TEST_CASE("a slow writer that keeps the file open over seconds: loaded once, complete") {
  WatchFixture fx;
  fx.start();
  constexpr std::uint64_t kRows = 4000;
  const auto path = fx.imports() / "user_traffic_slow_writer.csv";
  write_slowly(fx, path, user_traffic_csv(kRows));
  check_loaded_once(fx, path, kRows);
  CHECK(fx.stop() == 0);
}

TEST_CASE("in poll mode too, a slow writer's file is loaded once, complete") {
  // No inotify events at all: only scans, the quiet period and the open-writer probe decide.
  WatchFixture fx;
  fx.start({"watch_mode=poll", "poll_interval_ms=150"});
  constexpr std::uint64_t kRows = 3000;
  const auto path = fx.imports() / "user_traffic_polled.csv";
  write_slowly(fx, path, user_traffic_csv(kRows, 50'000));
  check_loaded_once(fx, path, kRows);
  CHECK(fx.stop() == 0);
}

TEST_CASE("a .part file is never read, and renamed to its final name it is loaded once") {
  WatchFixture fx;
  fx.start();
  const auto part = fx.imports() / "user_traffic_download.csv.part";
  write_file(part, user_traffic_csv(50));
  // Far beyond the settle time: the temporary name alone keeps the service away.
  std::this_thread::sleep_for(1500ms);
  CHECK(fs::exists(part));
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 0);

  fs::rename(part, fx.imports() / "user_traffic_download.csv");
  CHECK(
      fx.wait_for("SELECT string_agg(status || ':' || rows_loaded || ':' || original_name, ',') "
                  "FROM ingest.files",
                  "loaded:50:user_traffic_download.csv"));
  CHECK(wait_until([&] { return fs::exists(fx.processed() / "user_traffic_download.csv"); }, 10s));
  std::this_thread::sleep_for(500ms);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 1);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 50);
  CHECK(regular_files(fx.imports()).empty());
  CHECK(fx.stop() == 0);
}
