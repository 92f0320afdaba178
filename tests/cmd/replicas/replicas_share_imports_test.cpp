// End to end: three replicas in poll mode on one imports/ and one database, as on a shared
// mount. Each file is claimed in PostgreSQL before it is read: every file is loaded once and
// read by one replica, the ledger gets no spurious duplicate rows, and a replica killed with
// kill -9 loses its claims to the others.
#include <doctest/doctest.h>

#include <set>

#include "core/watch/file_stat.hpp"

#include "tests/cmd/replicas/replica_fixture.hpp"

using namespace dp::test;

namespace {

/// Rows of file `i` of the mixed workload: mostly a few rows, some hundreds, a few thousands.
std::uint64_t rows_of(int i) {
  if (i % 50 == 0) {
    return 3000;
  }
  if (i % 7 == 0) {
    return 300;
  }
  return 1 + static_cast<std::uint64_t>(i % 13);
}

std::string name_of(int i) {
  return "user_traffic_shared_" + std::to_string(i) + ".csv";
}

/// Writes files [from, to) outside imports/ and renames them in, as a careful producer does.
std::uint64_t drop_files(const WatchFixture& fx, int from, int to) {
  std::uint64_t rows = 0;
  for (int i = from; i < to; ++i) {
    write_file(fx.outside() / name_of(i),
               user_traffic_csv(rows_of(i), static_cast<std::uint64_t>(i) * 10'000 + 1));
    rows += rows_of(i);
  }
  for (int i = from; i < to; ++i) {
    fs::rename(fx.outside() / name_of(i), fx.imports() / name_of(i));
  }
  return rows;
}

}  // namespace

TEST_CASE("3 replicas, 600 files, one killed half-way: each file loaded once, read by one") {
  constexpr int kFiles = 600;
  ReplicaFixture replicas;
  auto& fx = replicas.fx;
  // The first start applies the migrations; the others find them applied.
  replicas.start("r1");
  replicas.start("r2");
  replicas.start("r3");

  const auto started = std::chrono::steady_clock::now();
  std::uint64_t rows = drop_files(fx, 0, kFiles / 2);
  REQUIRE(
      wait_until([&] { return fx.count("SELECT count(*) FROM ingest.files") >= kFiles / 4; }, 60s));
  replicas.replica("r2").kill_hard();
  rows += drop_files(fx, kFiles / 2, kFiles);
  REQUIRE(wait_until(
      [&] { return fx.count("SELECT count(*) FROM ingest.files") >= kFiles * 3 / 4; }, 60s));
  replicas.start("r2");

  const bool all_loaded = fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'",
                                      std::to_string(kFiles), 90s);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE(kFiles << " files loaded by 3 replicas (one killed and restarted) in " << seconds
                 << " s");
  INFO(replicas.all_output());
  CHECK(all_loaded);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == kFiles);
  CHECK(fx.count("SELECT count(*) FROM ingest.files WHERE status = 'duplicate'") == 0);
  CHECK(fx.count("SELECT count(DISTINCT original_name) FROM ingest.files") == kFiles);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == static_cast<long long>(rows));
  CHECK(fx.count("SELECT count(*) FROM (SELECT user_id FROM staging.user_traffic "
                 "GROUP BY user_id HAVING count(*) > 1) twice") == 0);
  // Every ledger row names its replica and the file it was; all three took part.
  CHECK(fx.count("SELECT count(*) FROM ingest.files WHERE replica_id IS NULL "
                 "OR file_identity IS NULL") == 0);
  CHECK(fx.count("SELECT count(DISTINCT replica_id) FROM ingest.files") == 3);
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 20s));
  CHECK(regular_files(fx.processed()).size() == kFiles);

  // One reader per file. The exception is a file the killed replica was reading when it died
  // (its load never committed): the replica that took it over read it once more.
  // Without claims every replica would read every file it saw (issue 15: 2 replicas, 40 files,
  // 36 duplicate rows).
  const auto& first_r2 = replicas.logs().at(1);
  REQUIRE(first_r2.replica == "r2");
  const auto killed_log = read_file_text(first_r2.file);
  std::set<std::string> interrupted;
  for (const auto& name : ReplicaFixture::names_logged(killed_log, ReplicaFixture::kReadLine)) {
    interrupted.insert(name);
  }
  for (const auto& name : ReplicaFixture::names_logged(killed_log, ReplicaFixture::kLoadedLine)) {
    interrupted.erase(name);
  }
  CHECK(interrupted.size() <= 2);
  const auto reads = replicas.reads_per_file();
  CHECK(reads.size() == static_cast<std::size_t>(kFiles));
  int read_twice = 0;
  for (const auto& [name, count] : reads) {
    INFO(name << " was read " << count << " times");
    // A file the killed replica committed but had not logged yet is only moved by the next
    // claimer (read once); one it was still reading is read again (twice).
    CHECK((count == 1 || (count == 2 && interrupted.count(name) != 0)));
    read_twice += count > 1 ? 1 : 0;
  }
  MESSAGE(read_twice << " file(s) read twice, each one the killed replica's unfinished load");

  // --status lists the replicas and what each holds (nothing, now that all is loaded).
  ProcessSpec status;
  status.args = fx.args({});
  status.args[0] = "--status";
  status.args.push_back("--json");
  status.working_dir = fx.root();
  status.output_file = fx.root() / "status.out";
  status.env = {{"DB_STRING", fx.db().conninfo()}};
  const auto report = run_to_completion(status);
  CHECK(report.exit_code == 0);
  for (const auto* id : {"\"r1\"", "\"r2\"", "\"r3\""}) {
    CHECK(report.out.find(std::string("\"replica_id\": ") + id) != std::string::npos);
  }
  // The text form names them too, and the replica of each recent file.
  status.args.pop_back();
  const auto text = run_to_completion(status);
  CHECK(text.exit_code == 0);
  for (const auto* id : {"r1 (host", "r2 (host", "r3 (host"}) {
    CHECK(text.out.find(id) != std::string::npos);
  }
  CHECK(text.out.find(" replica\n") != std::string::npos);

  for (const auto* id : {"r1", "r2", "r3"}) {
    CHECK(replicas.replica(id).terminate() == 0);
  }
}

TEST_CASE("a replica killed while it holds a claim on a large file: another one takes it over") {
  constexpr std::uint64_t kRows = 1'500'000;
  ReplicaFixture replicas;
  auto& fx = replicas.fx;
  // r2 starts first to apply the migrations, and stops: r1 alone sees the file arrive.
  replicas.start("r2");
  REQUIRE(replicas.replica("r2").terminate() == 0);
  replicas.start("r1");
  const auto staged = fx.outside() / "user_traffic_large.csv";
  write_large_user_traffic(staged, kRows);
  fs::rename(staged, fx.imports() / "user_traffic_large.csv");
  REQUIRE(replicas.replica("r1").wait_for_output(
      "user_traffic_large.csv: claimed by replica r1; reading it", 30s));

  // r2 sees the file claimed and leaves it alone, reading nothing.
  replicas.start("r2", {"debug_logs=true"});
  REQUIRE(replicas.replica("r2").wait_for_output(
      "user_traffic_large.csv: claimed by another replica; left to it", 30s));
  REQUIRE(fx.count("SELECT count(*) FROM ingest.files WHERE status = 'loaded'") == 0);

  const auto killed = std::chrono::steady_clock::now();
  replicas.replica("r1").kill_hard();
  REQUIRE(replicas.replica("r2").wait_for_output(
      "user_traffic_large.csv: claimed by replica r2; reading it", 30s));
  const auto takeover =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  MESSAGE("takeover after kill -9: " << takeover << " s (poll_interval_ms=200, settle_ms=100)");
  // docs/scaling.md: after kill -9, the next scan of another replica plus the settle time.
  CHECK(takeover < 3.0);

  INFO(replicas.all_output());
  CHECK(
      fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded' "
                  "AND replica_id = 'r2'",
                  "1", 120s));
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 1);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == static_cast<long long>(kRows));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 20s));
  CHECK(replicas.replica("r2").terminate() == 0);
}

TEST_CASE("a file committed by a replica that died before moving it is moved, not read again") {
  ReplicaFixture replicas;
  auto& fx = replicas.fx;
  replicas.start("r1");
  REQUIRE(replicas.replica("r1").terminate() == 0);
  // What a replica leaves behind when it dies between its commit and its move: the ledger row
  // of this very file (its shared identity), and the file still in imports/.
  const auto path = fx.drop("user_traffic_committed.csv", user_traffic_csv(3));
  const auto stat = dp::watch::lstat_file(path);
  REQUIRE(stat);
  const auto identity = "user_traffic_committed.csv/" + std::to_string(stat->inode) + "/" +
                        std::to_string(stat->size) + "/" + std::to_string(stat->mtime_ns) + "/" +
                        std::to_string(stat->ctime_ns);
  fx.db().exec(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status, "
      "rows_loaded, finished_at, replica_id, file_identity) VALUES ('0000', "
      "'user_traffic_committed.csv', " +
      std::to_string(stat->size) + ", 'user_traffic', 'loaded', 3, now(), 'gone', '" + identity +
      "')");

  replicas.start("r2");
  INFO(replicas.all_output());
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 20s));
  CHECK(regular_files(fx.processed()).count("user_traffic_committed.csv") == 1);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 1);
  CHECK(replicas.reads_per_file().empty());
  CHECK(replicas.replica("r2").terminate() == 0);
}
