// Migration V011 on a warehouse built before it, when dim_product held every node of the product
// hierarchy: the product lines, groups and unplaced nodes go, the products (level 3) and the
// unknown member stay, hierarchy_level is dropped, and a case whose product leaves the dimension
// falls back to -1 (the foreign key now sets the default on delete).
#include <doctest/doctest.h>

#include <filesystem>
#include <pqxx/pqxx>

#include "core/db/migrations.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace fs = std::filesystem;

namespace {

dp::db::MigrationOptions migrations_in(const fs::path& dir) {
  dp::db::MigrationOptions options;
  options.dir = dir;
  options.staging_schema = "stg";
  options.dw_schema = "dw";
  return options;
}

}  // namespace

TEST_CASE("V011 keeps one row per product in dim_product and lets cases fall back to -1") {
  const fs::path real = fs::path(DP_SOURCE_DIR) / "sql" / "migrations";
  dp::test::TempDir before;
  for (const auto& migration : dp::db::list_migrations(real)) {
    if (migration.version < 11) {
      fs::copy_file(migration.path, before.path() / migration.path.filename());
    }
  }
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  dp::db::apply_migrations(connection, migrations_in(before.path()));
  database.exec(
      "INSERT INTO dw.dim_product (product_key, pid, product_name, hierarchy_level, "
      "product_group_pid, product_group_name, product_line_pid, product_line_name, "
      "inserted_batch, updated_batch) VALUES "
      "(1, 'L', 'Line', 1, NULL, NULL, 'L', 'Line', 1, 1), "
      "(2, 'G', 'Group', 2, 'G', 'Group', 'L', 'Line', 1, 1), "
      "(3, 'P', 'Product', 3, 'G', 'Group', 'L', 'Line', 1, 1), "
      "(4, 'O', 'Orphan', NULL, NULL, NULL, NULL, NULL, 1, 1)");
  CHECK(database.scalar("SELECT count(*) FROM dw.dim_product") == "5");

  const auto result = dp::db::apply_migrations(connection, migrations_in(real));
  // V011 comes first of what is left (later migrations may follow it).
  REQUIRE_FALSE(result.applied.empty());
  REQUIRE(result.applied.front().rfind("V011__", 0) == 0);
  CHECK(database.scalar("SELECT string_agg(pid || ':' || coalesce(product_group_name, '') || ':' "
                        "|| coalesce(product_line_name, ''), ',' ORDER BY product_key) "
                        "FROM dw.dim_product") == "-1:Unknown:Unknown,P:Group:Line");
  CHECK(database.scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                        "'dw' AND table_name = 'dim_product' AND column_name = "
                        "'hierarchy_level'") == "0");
  // 'd' = ON DELETE SET DEFAULT: deleting a product re-points its cases at -1.
  CHECK(database.scalar("SELECT confdeltype FROM pg_constraint WHERE conname = "
                        "'fact_case_product_key_fkey' AND conrelid = 'dw.fact_case'::regclass") ==
        "d");
  CHECK(database.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                        "'fact_case_product_key_fkey'") ==
        "FOREIGN KEY (product_key) REFERENCES dw.dim_product(product_key) ON DELETE SET DEFAULT");
}
