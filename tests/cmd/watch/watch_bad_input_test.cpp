// End to end: the bad-input catalogue. Every file has a defined outcome (loaded with or without
// rejects, failed, quarantined), and the one service takes them all and keeps running.
#include <doctest/doctest.h>

#include <random>
#include <thread>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

const fs::path kFixtures = fs::path(DP_TEST_DATA_DIR) / "bad_input";

/// What the ledger must say about one file.
struct Expected {
  std::string name;
  std::string status;
  int rows_loaded = 0;
  int rows_rejected = 0;
  /// Column of the (single) reject, "-" when the row itself was bad (no column).
  std::string reject_column;
  /// Words the .error.txt of a failed file must contain.
  std::string reason;
};

const std::vector<Expected>& catalogue() {
  static const std::vector<Expected> expected{
      {"user_traffic_bom.csv", "loaded", 20, 0, "", ""},
      {"user_traffic_crlf.csv", "loaded", 20, 0, "", ""},
      {"user_traffic_quoted_fields.csv", "loaded", 20, 0, "", ""},
      {"user_traffic_invalid_utf8.csv", "loaded", 20, 1, "-", ""},
      {"user_traffic_too_few_columns.csv", "loaded", 20, 1, "-", ""},
      {"user_traffic_too_many_columns.csv", "loaded", 20, 1, "-", ""},
      {"user_traffic_bad_integer.csv", "loaded", 20, 1, "user_id", ""},
      {"user_traffic_bad_timestamp.csv", "loaded", 20, 1, "referred_at", ""},
      {"user_traffic_empty.csv", "failed", 0, 0, "", "empty"},
      {"user_traffic_header_only.csv", "loaded", 0, 0, "", ""},
      {"user_traffic_long_line.csv", "loaded", 20, 1, "-", ""},
      {"user_traffic_binary_garbage.csv", "failed", 0, 0, "", "header"},
      {"user_traffic_stray_quote.csv", "failed", 0, 1, "", "swallowed 99951 lines"},
      {"mystery_feed.csv", "failed", 0, 0, "", "no kind matches"},
      {"user_traffic Zürich été 2024.csv", "loaded", 5, 0, "", ""},
  };
  return expected;
}

/// header, 10 good rows, one 50 MB line, 10 good rows: one endless line must not take the
/// service's memory, and the rows after it still load.
void write_long_line_file(const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << kUserTrafficHeader;
  for (int i = 1; i <= 10; ++i) {
    out << user_traffic_row(static_cast<std::uint64_t>(5000 + i));
  }
  out << "5999,1,2024-07-01T10:00:00Z,";
  const std::string block(1 << 20, 'x');
  for (int i = 0; i < 50; ++i) {
    out << block;
  }
  out << "\n";
  for (int i = 11; i <= 20; ++i) {
    out << user_traffic_row(static_cast<std::uint64_t>(5000 + i));
  }
}

/// header, rows 1-49, `50,...,"oops`, rows 51-100000: the quote swallows lines 51-100001, so the
/// file fails whole instead of loading 49 rows as if that were all.
void write_stray_quote_file(const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << kUserTrafficHeader;
  for (std::uint64_t id = 1; id <= 100000; ++id) {
    out << (id == 50 ? std::string("50,1,2024-07-30T23:27:05Z,\"oops\n") : user_traffic_row(id));
  }
}

void write_binary_garbage(const fs::path& path) {
  std::mt19937 random(20240701);
  std::string bytes(64 * 1024, '\0');
  for (auto& byte : bytes) {
    byte = static_cast<char>(random() & 0xff);
  }
  write_file(path, bytes);
}

std::string ledger_of(const WatchFixture& fx, const std::string& name) {
  pqxx::connection connection(fx.db().conninfo());
  pqxx::nontransaction work(connection);
  const auto rows = work.exec_params(
      "SELECT status || ':' || rows_loaded || ':' || rows_rejected FROM ingest.files "
      "WHERE original_name = $1 ORDER BY file_id",
      name);
  std::string out;
  for (const auto& row : rows) {
    out += (out.empty() ? "" : ",") + std::string(row[0].c_str());
  }
  return out;
}

std::string reject_columns_of(const WatchFixture& fx, const std::string& name) {
  pqxx::connection connection(fx.db().conninfo());
  pqxx::nontransaction work(connection);
  const auto rows = work.exec_params(
      "SELECT coalesce(string_agg(coalesce(r.column_name, '-'), ',' ORDER BY r.line), '') "
      "FROM ingest.rejects r JOIN ingest.files f USING (file_id) WHERE f.original_name = $1",
      name);
  return rows[0][0].c_str();
}

}  // namespace

TEST_CASE("the bad-input catalogue: each file has a defined outcome, the service keeps running") {
  WatchFixture fx;
  fx.start();

  // Fixtures are copied next door and renamed in, one after another, while the service runs.
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    fs::copy_file(entry.path(), fx.outside() / entry.path().filename());
  }
  write_long_line_file(fx.outside() / "user_traffic_long_line.csv");
  write_binary_garbage(fx.outside() / "user_traffic_binary_garbage.csv");
  write_stray_quote_file(fx.outside() / "user_traffic_stray_quote.csv");
  write_file(fx.outside() / "user_traffic Zürich été 2024.csv", user_traffic_csv(5, 90'000));
  // A symlink to a valid file outside imports/: never followed, quarantined, target untouched.
  const auto target = fx.outside() / "linked_target.csv";
  write_file(target, user_traffic_csv(7, 95'000));
  const auto target_time = fs::last_write_time(target);
  fs::create_symlink(target, fx.imports() / "user_traffic_link.csv");
  for (const auto& expected : catalogue()) {
    fs::rename(fx.outside() / expected.name, fx.imports() / expected.name);
  }

  const auto total = std::to_string(catalogue().size());
  const bool decided = fx.wait_for("SELECT count(*) FROM ingest.files", total, 120s);
  INFO("service output:\n" << fx.service_output());
  CHECK(decided);
  CHECK(wait_until(
      [&] {
        return regular_files(fx.imports()).empty() &&
               !fs::exists(fx.imports() / "user_traffic_link.csv");
      },
      20s));
  CHECK(fx.service().running());

  for (const auto& expected : catalogue()) {
    INFO("file: " << expected.name);
    CHECK(ledger_of(fx, expected.name) == expected.status + ":" +
                                              std::to_string(expected.rows_loaded) + ":" +
                                              std::to_string(expected.rows_rejected));
    if (expected.status == "loaded") {
      CHECK(fs::exists(fx.processed() / expected.name));
      CHECK(reject_columns_of(fx, expected.name) == expected.reject_column);
      const auto rejects = fx.exports() / "rejects" / (expected.name + ".rejects.csv");
      CHECK(fs::exists(rejects) == (expected.rows_rejected > 0));
    } else {
      CHECK(fs::exists(fx.failed() / expected.name));
      const auto report = read_file_text(fx.failed() / (expected.name + ".error.txt"));
      CHECK(report.find(expected.reason) != std::string::npos);
      CHECK(report.find(expected.name) != std::string::npos);
      CHECK(fx.count("SELECT count(*) FROM staging.user_traffic s JOIN ingest.files f USING "
                     "(file_id) WHERE f.original_name = '" +
                     expected.name + "'") == 0);
    }
  }

  // The values that needed care arrive intact.
  CHECK(
      fx.scalar("SELECT string_agg(campaign_code, '|' ORDER BY line_no) FROM staging.user_traffic "
                "WHERE user_id BETWEEN 301001 AND 301003") == "two\nlines|say \"hi\"|a,b,c");
  CHECK(
      fx.count("SELECT count(*) FROM staging.user_traffic WHERE campaign_code LIKE '%' || chr(13) "
               "|| '%'") == 0);
  CHECK(fx.scalar("SELECT min(user_id) FROM staging.user_traffic s JOIN ingest.files f "
                  "USING (file_id) WHERE f.original_name = 'user_traffic_bom.csv'") == "100");
  // The 50 MB line: skipped with its position, the rows after it loaded, memory bounded.
  CHECK(fx.scalar("SELECT r.line FROM ingest.rejects r JOIN ingest.files f USING (file_id) "
                  "WHERE f.original_name = 'user_traffic_long_line.csv'") == "12");
  const auto peak_kib = fx.service().peak_rss_kib();
  MESSAGE("service peak RSS after the catalogue: " << peak_kib / 1024 << " MiB");
  CHECK(peak_kib < 160 * 1024);

  // The symlink was moved aside as a link, with a reason; its target was neither read nor moved.
  const auto quarantined_link = fx.failed() / "user_traffic_link.csv";
  CHECK(fs::is_symlink(fs::symlink_status(quarantined_link)));
  CHECK(read_file_text(fx.failed() / "user_traffic_link.csv.error.txt").find("symbolic link") !=
        std::string::npos);
  CHECK(read_file_text(target) == user_traffic_csv(7, 95'000));
  CHECK(fs::last_write_time(target) == target_time);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic WHERE user_id BETWEEN 1095000 AND "
                 "1095010") == 0);

  // Still alive and taking files after all of that.
  fx.drop("user_traffic_after_catalogue.csv", user_traffic_csv(3, 99'000));
  CHECK(
      fx.wait_for("SELECT status FROM ingest.files WHERE original_name = "
                  "'user_traffic_after_catalogue.csv'",
                  "loaded"));
  CHECK(fx.stop() == 0);
}
