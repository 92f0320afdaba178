// Migration V008 on a database whose staging tables were created with the primary key
// (file_id, line_no): every staging table loses the key and gains a BRIN index on file_id,
// whichever kind created it, and keeps its rows.
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
  options.staging_schema = "stg test";
  options.dw_schema = "dw";
  return options;
}

}  // namespace

TEST_CASE("V008 drops the row key of every staging table, adds the BRIN index, keeps the rows") {
  const fs::path real = fs::path(DP_SOURCE_DIR) / "sql" / "migrations";
  dp::test::TempDir before;
  for (const auto& migration : dp::db::list_migrations(real)) {
    if (migration.version < 8) {
      fs::copy_file(migration.path, before.path() / migration.path.filename());
    }
  }
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  dp::db::apply_migrations(connection, migrations_in(before.path()));
  // As the service created them before V008: a kind's table and one made on first use.
  for (const char* table : {"user_traffic", "made_on_first_use"}) {
    database.exec(std::string("CREATE TABLE \"stg test\".") + table +
                  " (file_id bigint NOT NULL, line_no bigint NOT NULL, v text, "
                  "PRIMARY KEY (file_id, line_no)); INSERT INTO \"stg test\"." +
                  table + " VALUES (1, 2, 'a'), (1, 3, 'b')");
  }
  database.exec("CREATE TABLE \"stg test\".not_staging (id int PRIMARY KEY)");

  const auto result = dp::db::apply_migrations(connection, migrations_in(real));
  CHECK_FALSE(result.applied.empty());
  for (const char* table : {"user_traffic", "made_on_first_use"}) {
    CAPTURE(table);
    const std::string rel = std::string("'\"stg test\".") + table + "'::regclass";
    CHECK(database.scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid = " +
                          rel) == "0");
    CHECK(database.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = "
                          "i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'brin' "
                          "AND c.relname = '" +
                          std::string(table) + "_file_id_brin' AND i.indrelid = " + rel) == "1");
    CHECK(database.scalar(std::string("SELECT string_agg(v, ',' ORDER BY line_no) FROM \"stg "
                                      "test\".") +
                          table) == "a,b");
  }
  // A table without the lineage columns is none of V008's business.
  CHECK(database.scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid = "
                        "'\"stg test\".not_staging'::regclass") == "1");
}

TEST_CASE("V008 fills job_title_source_rows from the title rows earlier runs consumed") {
  const fs::path real = fs::path(DP_SOURCE_DIR) / "sql" / "migrations";
  dp::test::TempDir before;
  for (const auto& migration : dp::db::list_migrations(real)) {
    if (migration.version < 8) {
      fs::copy_file(migration.path, before.path() / migration.path.filename());
    }
  }
  dp::test::TestDatabase database;
  pqxx::connection connection(database.conninfo());
  dp::db::apply_migrations(connection, migrations_in(before.path()));
  // Two loaded title files: the first consumed by a successful run, the second not yet.
  database.exec(
      "CREATE TABLE \"stg test\".title_data (file_id bigint NOT NULL, line_no bigint NOT NULL, "
      "title text NOT NULL, pdl_count bigint, related text[], PRIMARY KEY (file_id, line_no));"
      "INSERT INTO ingest.files (file_id, sha256, original_name, size_bytes, status) VALUES "
      "(1, 'a', 'title_data_1.csv', 1, 'loaded'), (2, 'b', 'title_data_2.csv', 1, 'loaded');"
      "INSERT INTO \"stg test\".title_data VALUES "
      "(1, 2, 'C.E.O.', 5, ARRAY['Co-Owner', '!!', NULL]), (2, 2, 'Nurse', 1, NULL);"
      "INSERT INTO dw.etl_runs (batch_id, mode, status, finished_at) "
      "VALUES (1, 'full', 'succeeded', now());"
      "INSERT INTO dw.etl_batch_files (batch_id, file_id) VALUES (1, 1);");

  dp::db::apply_migrations(connection, migrations_in(real));
  CHECK(database.scalar("SELECT string_agg(file_id || ':' || line_no || ':' || job_title || ':' "
                        "|| pdl_count || ':' || related_titles::text, ';') "
                        "FROM dw.job_title_source_rows") == "1:2:ceo:5:{coowner,NULL,NULL}");
}
