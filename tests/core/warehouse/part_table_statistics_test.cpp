// The runner analyzes, once, the part tables of loaded big files that were never analyzed, and
// leaves those of loads that have not committed alone.
#include "core/warehouse/part_table_statistics.hpp"

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "tests/core/warehouse/warehouse_test_support.hpp"

using dp::test::WarehouseDatabase;

TEST_CASE("part tables of loaded files are analyzed once, those of other loads not at all") {
  WarehouseDatabase db;
  const std::string staging = dp::test::kTestStagingSchema;
  const auto loaded = db.scalar(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status) "
      "VALUES ('a', 'big.csv', 1, 'big', 'loaded') RETURNING file_id");
  const auto unloaded = std::to_string(std::stoll(loaded) + 1);
  db.exec("CREATE SCHEMA \"" + staging + "_parts\"; CREATE TABLE \"" + staging +
          "\".big (file_id bigint NOT NULL, line_no bigint NOT NULL, v int)");
  for (const auto& id : {loaded, unloaded}) {
    db.exec("CREATE TABLE \"" + staging + "_parts\".f" + id + "_p0_big () INHERITS (\"" + staging +
            "\".big); INSERT INTO \"" + staging + "_parts\".f" + id + "_p0_big SELECT " + id +
            ", g, g FROM generate_series(1, 500) g");
  }
  const auto analyzed = [&](const std::string& id) {
    return db.scalar("SELECT count(*) FROM pg_stats WHERE schemaname = '" + staging +
                     "_parts' AND tablename = 'f" + id + "_p0_big' AND attname = 'v'");
  };
  pqxx::connection connection(db.database().conninfo());
  CHECK(dp::warehouse::analyze_new_part_tables(connection, staging) == 1);
  CHECK(analyzed(loaded) == "1");
  CHECK(analyzed(unloaded) == "0");
  CHECK(dp::warehouse::analyze_new_part_tables(connection, staging) == 0);
}
