#include "core/warehouse/run_report.hpp"

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "core/db/migrations.hpp"
#include "core/warehouse/pipeline_runner.hpp"
#include "core/warehouse/run_bookkeeping.hpp"
#include "tests/core/warehouse/warehouse_test_support.hpp"

using dp::test::WarehouseDatabase;
using dp::warehouse::format_run_report;
using dp::warehouse::read_run_report;

namespace {

std::string search_path(pqxx::connection& connection) {
  dp::db::MigrationOptions options;
  options.staging_schema = dp::test::kTestStagingSchema;
  options.dw_schema = dp::test::kTestDwSchema;
  return dp::db::service_search_path(connection, options);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the summary lists every step and the reconciliation counts per subject and table") {
  WarehouseDatabase db;
  const auto report = dp::warehouse::build_warehouse(db.options("diamond"));
  REQUIRE(report.reconciliation.size() == 1);
  CHECK(report.reconciliation[0].subject == "demo");
  CHECK(report.reconciliation[0].staging_rows == 10);
  CHECK(report.reconciliation[0].unplaced == 1);
  const auto text = format_run_report(report);
  CAPTURE(text);
  CHECK(contains(text, "pipeline run 1 (incremental): succeeded in "));
  CHECK(contains(text, ", 0 ledger files\n"));
  for (const char* step : {"root", "left", "right", "join"}) {
    CHECK(contains(text, std::string("  ") + step + " "));
  }
  CHECK(contains(text, "reconciliation:"));
  CHECK(contains(text, "  demo "));
  CHECK(contains(text, "    demo_table "));
  CHECK(contains(text, "unplaced: no matching key"));
  CHECK_FALSE(contains(text, "error:"));
}

TEST_CASE("the last run can be read back from the database, as --status shows it") {
  WarehouseDatabase db;
  pqxx::connection connection(db.database().conninfo());
  CHECK_FALSE(read_run_report(connection, search_path(connection)).has_value());
  dp::warehouse::build_warehouse(db.options("diamond"));
  const auto failed = dp::warehouse::build_warehouse(db.options("failing"));
  const auto last = read_run_report(connection, search_path(connection));
  REQUIRE(last.has_value());
  CHECK(last->batch_id == failed.batch_id);
  CHECK(last->status == "failed");
  CHECK(last->mode == "incremental");
  CHECK(contains(last->error, "step bad failed"));
  CHECK(last->steps.size() == 5);
  const auto first = read_run_report(connection, search_path(connection), 1);
  REQUIRE(first.has_value());
  CHECK(first->status == "succeeded");
  CHECK(first->steps.size() == 4);
  CHECK(first->reconciliation.size() == 1);
  const auto text = format_run_report(*last);
  CAPTURE(text);
  CHECK(contains(text, "): failed in "));
  CHECK(contains(text, "skipped"));
  CHECK(contains(text, "not run: step bad failed"));
  CHECK(contains(text, "error: step bad failed: ERROR:  division by zero"));
}
