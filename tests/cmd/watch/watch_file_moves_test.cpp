// End to end: a file leaves imports/ only after its outcome is committed, lands where its
// outcome says, and no move ever overwrites an earlier file.
#include <doctest/doctest.h>

#include <thread>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

std::string with_one_bad_row(std::uint64_t first_id) {
  return user_traffic_csv(15, first_id) + "not_a_number,1,2024-07-01T10:00:00Z,x\n";
}

long long service_sessions_waiting_on_locks(const WatchFixture& fx) {
  return fx.count(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
      "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'");
}

}  // namespace

TEST_CASE("files leave imports/ only after their outcome is committed, each to its place") {
  WatchFixture fx;
  fx.start();

  // Hold the ledger so that no outcome can be committed: every unit of work blocks on it.
  pqxx::connection holder(fx.db().conninfo());
  pqxx::work hold(holder);
  hold.exec0("LOCK TABLE ingest.files IN EXCLUSIVE MODE");

  fx.drop("user_traffic_good.csv", user_traffic_csv(12, 1));
  fx.drop("user_traffic_with_reject.csv", with_one_bad_row(100));
  fx.drop("user_traffic_empty.csv", "");
  fx.drop("nobody_knows_this.csv", "a,b\n1,2\n");
  CHECK(wait_until([&] { return service_sessions_waiting_on_locks(fx) >= 2; }, 30s));
  std::this_thread::sleep_for(1s);
  INFO("service output:\n" << fx.service_output());
  CHECK(regular_files(fx.imports()) ==
        std::set<std::string>{"user_traffic_good.csv", "user_traffic_with_reject.csv",
                              "user_traffic_empty.csv", "nobody_knows_this.csv"});
  CHECK_FALSE(fs::exists(fx.imports() / ".processed"));
  CHECK_FALSE(fs::exists(fx.failed()));
  CHECK_FALSE(fs::exists(fx.exports() / "rejects"));

  hold.commit();
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files", "4"));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));

  // Loaded files: archived by date; rejects of a loaded file exported beside the ledger's copy.
  CHECK(regular_files(fx.processed()) ==
        std::set<std::string>{"user_traffic_good.csv", "user_traffic_with_reject.csv"});
  const auto rejects =
      read_file_text(fx.exports() / "rejects" / "user_traffic_with_reject.csv.rejects.csv");
  CHECK(rejects.find("not_a_number") != std::string::npos);
  CHECK(rejects.find("\n17,") != std::string::npos);
  // Failed and quarantined files: in .failed/ with a report naming the reason.
  CHECK(regular_files(fx.failed()) ==
        std::set<std::string>{"user_traffic_empty.csv", "user_traffic_empty.csv.error.txt",
                              "nobody_knows_this.csv", "nobody_knows_this.csv.error.txt"});
  CHECK(read_file_text(fx.failed() / "user_traffic_empty.csv.error.txt").find("empty") !=
        std::string::npos);
  CHECK(read_file_text(fx.failed() / "nobody_knows_this.csv.error.txt").find("no kind") !=
        std::string::npos);
  CHECK(fx.stop() == 0);
}

TEST_CASE("no move ever overwrites: a second file of the same name keeps the first one intact") {
  WatchFixture fx;
  fx.start();
  // Two different failing files under one name.
  fx.drop("user_traffic_broken.csv", "user_id,source_id\n1,2\n");
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files", "1"));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));
  fx.drop("user_traffic_broken.csv", "user_id,referred_at\n1,2024-01-01\n");
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files", "2"));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));
  CHECK(read_file_text(fx.failed() / "user_traffic_broken.csv") == "user_id,source_id\n1,2\n");
  CHECK(read_file_text(fx.failed() / "user_traffic_broken-1.csv") ==
        "user_id,referred_at\n1,2024-01-01\n");
  CHECK(fs::exists(fx.failed() / "user_traffic_broken.csv.error.txt"));
  CHECK(fs::exists(fx.failed() / "user_traffic_broken-1.csv.error.txt"));
  CHECK(fx.stop() == 0);
}

TEST_CASE("two loaded files of the same name with rejects: both reject exports survive") {
  WatchFixture fx;
  fx.start();
  fx.drop("user_traffic_rejects.csv", with_one_bad_row(1000));
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files", "1"));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));
  fx.drop("user_traffic_rejects.csv", with_one_bad_row(2000));
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "2"));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));
  CHECK(regular_files(fx.processed()) ==
        std::set<std::string>{"user_traffic_rejects.csv", "user_traffic_rejects-1.csv"});
  const auto exported = regular_files(fx.exports() / "rejects");
  INFO("reject exports: " << [&] {
    std::string names;
    for (const auto& name : exported) {
      names += name + " ";
    }
    return names;
  }());
  CHECK(exported.size() == 2);
  CHECK(fx.stop() == 0);
}
