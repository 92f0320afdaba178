#include "core/db/migrations.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <pqxx/pqxx>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace fs = std::filesystem;
using dp::db::MigrationOptions;

namespace {

MigrationOptions real_migrations() {
  MigrationOptions options;
  options.dir = fs::path(DP_SOURCE_DIR) / "sql" / "migrations";
  options.staging_schema = "stg test";
  options.dw_schema = "dw";
  return options;
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("the project's migrations apply to a fresh database and create the schemas") {
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  const auto result = dp::db::apply_migrations(connection, real_migrations());
  CHECK(result.applied.size() == dp::db::list_migrations(real_migrations().dir).size());
  CHECK(result.already_applied == 0);
  for (const char* schema : {"stg test", "dw", "ingest", "analysis"}) {
    CAPTURE(schema);
    CHECK(database.scalar(std::string("SELECT count(*) FROM pg_namespace WHERE nspname = '") +
                          schema + "'") == "1");
  }
  CHECK(database.scalar("SELECT to_regclass('ingest.files') IS NOT NULL") == "t");
  CHECK(dp::db::migrations_current(connection, real_migrations()));
}

TEST_CASE("a second run applies nothing and keeps the data") {
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  dp::db::apply_migrations(connection, real_migrations());
  database.exec(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, status) "
      "VALUES ('abc', 'x.csv', 1, 'failed')");
  const auto again = dp::db::apply_migrations(connection, real_migrations());
  CHECK(again.applied.empty());
  CHECK(again.already_applied == dp::db::list_migrations(real_migrations().dir).size());
  CHECK(database.scalar("SELECT count(*) FROM ingest.files") == "1");
}

TEST_CASE("an applied migration whose file changed is an error naming the file") {
  dp::test::TempDir dir;
  write_file(dir.path() / "V001__first.sql", "CREATE TABLE ingest.t1 (id int);");
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  MigrationOptions options;
  options.dir = dir.path();
  dp::db::apply_migrations(connection, options);
  write_file(dir.path() / "V001__first.sql", "CREATE TABLE ingest.t1 (id bigint);");
  CHECK_THROWS_WITH_AS(dp::db::apply_migrations(connection, options),
                       doctest::Contains("V001__first.sql was changed"), dp::db::MigrationError);
  CHECK_FALSE(dp::db::migrations_current(connection, options));
}

TEST_CASE("migrations run in version order, each in its own transaction") {
  dp::test::TempDir dir;
  write_file(dir.path() / "V002__second.sql", "INSERT INTO ingest.t (id) VALUES (2);");
  write_file(dir.path() / "V001__first.sql", "CREATE TABLE ingest.t (id int);");
  write_file(dir.path() / "V010__broken.sql",
             "INSERT INTO ingest.t (id) VALUES (10); SELECT no_such_function();");
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  MigrationOptions options;
  options.dir = dir.path();
  CHECK_THROWS_WITH_AS(dp::db::apply_migrations(connection, options),
                       doctest::Contains("V010__broken.sql failed"), dp::db::MigrationError);
  CHECK(database.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM ingest.t") == "2");
  CHECK(database.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM "
                        "ingest.schema_migrations") == "1,2");
}

TEST_CASE("badly named or duplicated migration files are rejected") {
  dp::test::TempDir dir;
  write_file(dir.path() / "V001__a.sql", "SELECT 1;");
  write_file(dir.path() / "V1__b.sql", "SELECT 1;");
  CHECK_THROWS_WITH_AS(dp::db::list_migrations(dir.path()), doctest::Contains("share version 1"),
                       dp::db::MigrationError);
  dp::test::TempDir other;
  write_file(other.path() / "001_a.sql", "SELECT 1;");
  CHECK_THROWS_WITH_AS(dp::db::list_migrations(other.path()), doctest::Contains("does not follow"),
                       dp::db::MigrationError);
}

TEST_CASE("two concurrent runners apply each migration exactly once") {
  dp::test::TempDir dir;
  write_file(dir.path() / "V001__slow.sql",
             "CREATE TABLE ingest.counter (n int); SELECT pg_sleep(0.5); "
             "INSERT INTO ingest.counter VALUES (1);");
  dp::test::TestDatabase database;
  MigrationOptions options;
  options.dir = dir.path();
  auto run = [&] {
    pqxx::connection connection(database.conninfo());
    return dp::db::apply_migrations(connection, options).applied.size();
  };
  auto first = std::async(std::launch::async, run);
  auto second = std::async(std::launch::async, run);
  CHECK(first.get() + second.get() == 1);
  CHECK(database.scalar("SELECT count(*) FROM ingest.counter") == "1");
}

TEST_CASE("dev recreate drops the service schemas and their data, then migrates") {
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  auto options = real_migrations();
  dp::db::apply_migrations(connection, options);
  database.exec(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, status) "
      "VALUES ('abc', 'x.csv', 1, 'failed'); CREATE TABLE dw.leftover (id int);");
  options.recreate = true;
  const auto result = dp::db::apply_migrations(connection, options);
  CHECK_FALSE(result.applied.empty());
  CHECK(database.scalar("SELECT count(*) FROM ingest.files") == "0");
  CHECK(database.scalar("SELECT to_regclass('dw.leftover') IS NULL") == "t");
}
