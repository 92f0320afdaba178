#pragma once

#include <filesystem>
#include <string>

#include <pqxx/pqxx>

#include "core/db/migrations.hpp"
#include "core/warehouse/pipeline_runner.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

/// Schema names with a space and a capital, so that every identifier the runner sends must be
/// quoted to work.
inline constexpr const char* kTestStagingSchema = "Stg test";
inline constexpr const char* kTestDwSchema = "Dw test";

/// A synthetic manifest folder under tests/data/warehouse.
inline std::filesystem::path warehouse_fixture(const std::string& name) {
  return std::filesystem::path(DP_TEST_DATA_DIR) / "warehouse" / name / "manifest.toml";
}

/// A fresh database with the project's migrations applied (the etl_* bookkeeping the runner
/// writes) and public.step_log, where the synthetic steps record what they saw.
class WarehouseDatabase {
 public:
  WarehouseDatabase() {
    pqxx::connection connection(database_.conninfo());
    db::MigrationOptions options;
    options.dir = std::filesystem::path(DP_SOURCE_DIR) / "sql" / "migrations";
    options.staging_schema = kTestStagingSchema;
    options.dw_schema = kTestDwSchema;
    db::apply_migrations(connection, options);
    database_.exec(
        "CREATE TABLE public.step_log (step text NOT NULL, started_at timestamptz NOT NULL, "
        "finished_at timestamptz, batch_id text, run_mode text, search_path text); "
        "CREATE SEQUENCE public.flaky_attempts");
  }

  const TestDatabase& database() const { return database_; }
  std::string scalar(const std::string& sql) const { return database_.scalar(sql); }
  void exec(const std::string& sql) const { database_.exec(sql); }

  /// Runner options for `fixture` on this database, with a short retry delay.
  warehouse::PipelineOptions options(const std::string& fixture) const {
    warehouse::PipelineOptions options;
    options.conninfo = database_.conninfo();
    options.manifest = warehouse_fixture(fixture);
    options.staging_schema = kTestStagingSchema;
    options.dw_schema = kTestDwSchema;
    options.workers = 2;
    options.retries = 2;
    options.retry_delay = std::chrono::milliseconds(50);
    return options;
  }

  /// SQL naming a bookkeeping table of the test warehouse schema.
  static std::string dw(const std::string& table) {
    return std::string("\"") + kTestDwSchema + "\"." + table;
  }

 private:
  TestDatabase database_;
};

}  // namespace dp::test
