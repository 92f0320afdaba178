// End to end: SIGTERM is honoured within a second at any point of a load (issue 12, item 4):
// while a file of 20M bad lines is being rejected (nothing reaches the COPY stream, so a check
// per COPY flush never comes) and while a worker waits on a lock held by someone else.
#include <doctest/doctest.h>

#include <zlib.h>

#include <csignal>
#include <stdexcept>
#include <thread>

#include "core/util/sha256.hpp"
#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

/// One gzip member holding `text`.
std::string gzip_member(const std::string& text) {
  z_stream stream{};
  if (deflateInit2(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    throw std::runtime_error("deflate failed");
  }
  return out;
}

/// A user_traffic header then `millions` million lines of one field each (too few columns):
/// one member of a million lines compressed once and repeated, since concatenated gzip members
/// read as one stream. Takes well under a second to write.
void write_bad_lines_gzip(const fs::path& path, int millions) {
  std::string block;
  for (int i = 0; i < 1'000'000; ++i) {
    block += "bad\n";
  }
  const auto member = gzip_member(block);
  std::ofstream out(path, std::ios::binary);
  out << gzip_member(kUserTrafficHeader);
  for (int i = 0; i < millions; ++i) {
    out << member;
  }
}

/// Seconds from SIGTERM to the exit; the exit code in `exit_code`.
double terminate_and_time(WatchFixture& fx, int& exit_code) {
  const auto sent = std::chrono::steady_clock::now();
  ::kill(fx.service().pid(), SIGTERM);
  exit_code = fx.service().wait_for_exit(30s).value_or(-1);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
}

// Measured on the 2-core test machine (shared with other builds): see the closing note of
// issue 12. The bound is 1 s, the promise made to `docker stop` users.
constexpr double kShutdownBoundSeconds = 1.0;

}  // namespace

TEST_CASE("SIGTERM while 20M bad lines are being rejected: exit 0 within a second") {
  WatchFixture fx;
  fx.start({"max_rejects=1000000000", "max_reject_ratio=1"});
  write_bad_lines_gzip(fx.outside() / "user_traffic_bad.csv.gz", 20);
  fs::rename(fx.outside() / "user_traffic_bad.csv.gz", fx.imports() / "user_traffic_bad.csv.gz");
  // The COPY is begun before the first row is read: from then on the file is being rejected.
  REQUIRE(
      fx.wait_for("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND state = 'active' AND query LIKE 'COPY \"staging\".%'",
                  "1", 30s));
  std::this_thread::sleep_for(700ms);
  int exit_code = -1;
  const double seconds = terminate_and_time(fx, exit_code);
  MESSAGE("SIGTERM to exit during a reject-heavy load: " << seconds << " s");
  INFO("service output:\n" << fx.service_output());
  CHECK(exit_code == 0);
  CHECK(seconds < kShutdownBoundSeconds);
  CHECK(fx.service_output().find("rolled back for shutdown") != std::string::npos);
  // Rolled back, left for the next start.
  CHECK(fs::exists(fx.imports() / "user_traffic_bad.csv.gz"));
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 0);
}

TEST_CASE("SIGTERM while a worker waits on a lock: the statement is cancelled, exit 0 in 1 s") {
  WatchFixture fx;
  fx.start();
  const std::string content = user_traffic_csv(5, 1);
  fx.drop("user_traffic_first.csv", content);
  REQUIRE(fx.wait_for("SELECT status FROM ingest.files", "loaded"));
  // Someone else holds the content lock of the next file (as a second replica would): the
  // worker's pg_advisory_xact_lock waits on it.
  pqxx::connection holder(fx.db().conninfo());
  pqxx::nontransaction hold(holder);
  const std::string next = user_traffic_csv(5, 100);
  const auto sha = dp::util::sha256_hex(next);
  hold.exec_params("SELECT pg_advisory_lock(hashtextextended($1, 0))", sha);
  fx.drop("user_traffic_locked.csv", next);
  REQUIRE(
      fx.wait_for("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'",
                  "1", 30s));
  int exit_code = -1;
  const double seconds = terminate_and_time(fx, exit_code);
  MESSAGE("SIGTERM to exit while waiting on a lock: " << seconds << " s");
  INFO("service output:\n" << fx.service_output());
  CHECK(exit_code == 0);
  CHECK(seconds < kShutdownBoundSeconds);
  CHECK(fs::exists(fx.imports() / "user_traffic_locked.csv"));
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 1);
}

TEST_CASE("more than max_rejects bad rows: the file fails early, with that reason") {
  WatchFixture fx;
  fx.start({"max_rejects=1000"});
  write_bad_lines_gzip(fx.outside() / "user_traffic_bad.csv.gz", 20);
  const auto dropped = std::chrono::steady_clock::now();
  fs::rename(fx.outside() / "user_traffic_bad.csv.gz", fx.imports() / "user_traffic_bad.csv.gz");
  REQUIRE(fx.wait_for("SELECT status FROM ingest.files", "failed", 60s));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - dropped).count();
  MESSAGE("20M bad lines, max_rejects=1000: failed after " << seconds << " s");
  INFO("service output:\n" << fx.service_output());
  CHECK(fx.scalar("SELECT error FROM ingest.files")
            .rfind("more than max_rejects (1000) rows rejected; stopped reading at line 1002", 0) ==
        0);
  CHECK(fx.count("SELECT rows_rejected FROM ingest.files") == 1001);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 0);
  // Reading all 20M lines takes well over 10 s here; stopping early takes a fraction of that.
  CHECK(seconds < 5.0);
  CHECK(wait_until([&] { return fs::exists(fx.failed() / "user_traffic_bad.csv.gz.error.txt"); },
                   10s));
  CHECK(read_file_text(fx.failed() / "user_traffic_bad.csv.gz.error.txt").find("max_rejects") !=
        std::string::npos);
  CHECK(fx.stop() == 0);
}
