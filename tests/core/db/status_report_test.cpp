#include "core/db/status_report.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <pqxx/pqxx>

#include "core/db/migrations.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

TEST_CASE("the status report summarizes a known ledger and the files waiting") {
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  dp::db::MigrationOptions options;
  options.dir = std::filesystem::path(DP_SOURCE_DIR) / "sql" / "migrations";
  dp::db::apply_migrations(connection, options);
  database.exec(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status, "
      "rows_loaded, rows_rejected, started_at, finished_at, error) VALUES "
      "('a', 'user_traffic.csv', 10, 'user_traffic', 'loaded', 1000, 2, now(), now(), NULL),"
      "('b', 'copy.csv', 10, 'user_traffic', 'duplicate', 0, 0, now(), now(), NULL),"
      "('c', 'mystery.csv', 5, NULL, 'failed', 0, 0, now(), now(), 'no kind matches'),"
      "('d', 'old.csv', 5, 'cases', 'loaded', 3, 0, now() - interval '3 days', now(), NULL)");
  dp::test::TempDir imports;
  std::ofstream(imports.path() / "waiting.csv") << "a,b\n";
  std::ofstream(imports.path() / ".hidden.csv") << "a,b\n";
  std::ofstream(imports.path() / "partial.csv.part") << "a,b\n";

  const auto report = dp::db::collect_status(connection, "datawarehouse", imports.path());
  CHECK(report.last_24h.at("loaded") == 1);
  CHECK(report.last_24h.at("duplicate") == 1);
  CHECK(report.last_24h.at("failed") == 1);
  REQUIRE(report.recent.size() == 4);
  CHECK(report.recent.front().name == "old.csv");
  CHECK(report.recent.back().rows_loaded == 1000);
  CHECK(report.recent.back().rows_rejected == 2);
  REQUIRE(report.failures.size() == 1);
  CHECK(report.failures.front().error == "no kind matches");
  CHECK(report.failures.front().pipeline.empty());
  REQUIRE(report.waiting.size() == 1);
  CHECK(report.waiting.front().name == "waiting.csv");
  REQUIRE(report.last_run.has_value() == false);
}

TEST_CASE("the last warehouse run and its reconciliation counts are reported") {
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  dp::db::MigrationOptions options;
  options.dir = std::filesystem::path(DP_SOURCE_DIR) / "sql" / "migrations";
  options.dw_schema = "dw";
  dp::db::apply_migrations(connection, options);
  database.exec(
      "INSERT INTO dw.etl_runs (mode, status, finished_at, files) VALUES "
      "('full', 'succeeded', clock_timestamp(), 3), ('incremental', 'failed', "
      "clock_timestamp(), 1);"
      "INSERT INTO dw.etl_reconciliation (batch_id, subject, target, staging_rows, inserted, "
      "unplaced, reason) VALUES (2, 'habits', 'fact_habit_record', 40, 38, 2, 'no user')");
  dp::test::TempDir imports;
  const auto report = dp::db::collect_status(connection, "dw", imports.path());
  REQUIRE(report.last_run.has_value());
  CHECK(report.last_run->batch_id == 2);
  CHECK(report.last_run->status == "failed");
  REQUIRE(report.last_run->reconciliation.size() == 1);
  CHECK(report.last_run->reconciliation.front().unplaced == 2);
  CHECK(report.last_run->reconciliation.front().reason == "no user");
}
