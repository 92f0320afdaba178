// Claims against a real PostgreSQL: one session holds a file, another is refused without
// reading it, and a claim ends with its session (kill -9 of a replica, lost connection).
#include "core/ingest/file_claim.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/core/ingest/ingest_test_support.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using dp::db::LibpqConnection;
using dp::ingest::FileClaim;

namespace {

fs::path write_csv(const fs::path& dir, const std::string& name, const std::string& text) {
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::unique_ptr<LibpqConnection> connect(const dp::test::IngestDatabase& db) {
  return std::make_unique<LibpqConnection>(db.database.conninfo());
}

}  // namespace

TEST_CASE("one session holds a file's claim, another is refused until it is released") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  const auto file = write_csv(dir.path(), "a.csv", "id,name\n1,x\n");
  auto first = connect(db);
  auto second = connect(db);
  {
    const FileClaim held(first, file);
    CHECK(held.held());
    const FileClaim refused(second, file);
    CHECK_FALSE(refused.held());
    CHECK(refused.stat().has_value());
  }
  const FileClaim after_release(second, file);
  CHECK(after_release.held());
}

TEST_CASE("a claim ends with its session: a dropped connection frees the file at once") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  const auto file = write_csv(dir.path(), "b.csv", "id,name\n1,x\n");
  auto first = connect(db);
  auto second = connect(db);
  std::optional<FileClaim> held;
  held.emplace(first, file);
  REQUIRE(held->held());
  // The worker drops its connection (as after a lost link); the claim must neither be released
  // through the freed connection nor outlive the session.
  first.reset();
  held.reset();
  CHECK(dp::test::wait_until([&] { return FileClaim(second, file).held(); },
                             std::chrono::seconds(10)));
}

TEST_CASE("a different file under the same name, or a rewritten one, is a different claim") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  const auto file = write_csv(dir.path(), "c.csv", "id,name\n1,x\n");
  auto first = connect(db);
  auto second = connect(db);
  const FileClaim old_file(first, file);
  REQUIRE(old_file.held());
  fs::remove(file);
  write_csv(dir.path(), "c.csv", "id,name\n1,x\n2,y\n");
  const FileClaim new_file(second, file);
  CHECK(new_file.held());
  CHECK(new_file.identity() != old_file.identity());
  CHECK_FALSE(old_file.covers(*new_file.stat()));
}

TEST_CASE("the identity shared by replicas leaves out the device number") {
  dp::watch::FileStat stat;
  stat.device = 1;
  stat.inode = 42;
  stat.size = 7;
  stat.mtime_ns = 1000;
  stat.ctime_ns = 2000;
  auto other_mount = stat;
  other_mount.device = 99;
  CHECK(dp::ingest::shared_file_identity("/mnt/a/x.csv", stat) ==
        dp::ingest::shared_file_identity("/srv/imports/x.csv", other_mount));
  CHECK(dp::ingest::shared_file_identity("/mnt/a/x.csv", stat) == "x.csv/42/7/1000/2000");
}

TEST_CASE("a file name that is not UTF-8 is claimed under its escaped name") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  const auto file = write_csv(dir.path(), "bad\xff.csv", "id,name\n1,x\n");
  auto connection = connect(db);
  const FileClaim claim(connection, file);
  CHECK(claim.held());
  CHECK(claim.identity().rfind("bad\\xFF.csv/", 0) == 0);
}
