// Staging tables without a per-row index (issue 14): lineage columns on every row, no key, a
// BRIN index on file_id; and a start-up check that does no DDL when everything exists.
#include "core/ingest/staging_tables.hpp"

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "tests/core/ingest/ingest_test_support.hpp"

TEST_CASE("a staging table has file_id and line_no, no key, and a BRIN index on file_id") {
  dp::test::IngestDatabase db;
  CHECK(db.scalar("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute "
                  "WHERE attrelid = 'staging.people'::regclass AND attnum > 0") ==
        "file_id,line_no,id,name,born");
  CHECK(db.scalar("SELECT count(*) FROM pg_constraint "
                  "WHERE conrelid = 'staging.people'::regclass AND contype IN ('p', 'u')") == "0");
  CHECK(db.scalar("SELECT string_agg(indexname || ' ' || indexdef, '; ') FROM pg_indexes "
                  "WHERE schemaname = 'staging' AND tablename = 'people'") ==
        "people_file_id_brin CREATE INDEX people_file_id_brin ON staging.people USING brin "
        "(file_id) WITH (autosummarize='on')");
}

TEST_CASE("the start-up check creates what is missing, and takes no lock when nothing is") {
  dp::test::IngestDatabase db;
  db.database.exec("DROP INDEX staging.people_file_id_brin");
  dp::db::LibpqConnection connection(db.database.conninfo());
  dp::ingest::ensure_staging_tables(connection, *db.registry, "staging");
  CHECK(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'people_file_id_brin'") ==
        "1");

  // A load elsewhere holds the table: a start-up that ran DDL (even CREATE INDEX IF NOT
  // EXISTS) would wait for it; the check only reads the catalog.
  pqxx::connection holder(db.database.conninfo());
  pqxx::work hold(holder);
  hold.exec0("LOCK TABLE staging.people IN EXCLUSIVE MODE");
  connection.exec("SET lock_timeout = '2s'");
  CHECK_NOTHROW(dp::ingest::ensure_staging_tables(connection, *db.registry, "staging"));
}
