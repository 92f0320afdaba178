// Staging tables without a per-row index (issue 14): lineage columns on every row, no key, a
// BRIN index on file_id; and a start-up check that does no DDL when everything exists.
#include "core/ingest/staging_tables.hpp"

#include <doctest/doctest.h>

#include <functional>

#include <pqxx/pqxx>

#include "core/table/ddl.hpp"

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

namespace {

/// The test kind `people` with another model: the same kind after its declaration changed.
class ChangedPeople : public dp::test::PeoplePipeline {
 public:
  explicit ChangedPeople(dp::table::TableModel model) : model_(std::move(model)) {}
  const dp::table::TableModel& staging_model() const override { return model_; }
  std::string source() const override { return "kinds/people.toml"; }

 private:
  dp::table::TableModel model_;
};

/// people's model with `edit` applied, in a registry of its own.
std::unique_ptr<dp::pipeline::PipelineRegistry> changed_people(
    const std::function<void(dp::table::TableModel&)>& edit) {
  dp::table::TableModel model = dp::test::PeoplePipeline().staging_model();
  edit(model);
  auto registry = std::make_unique<dp::pipeline::PipelineRegistry>();
  registry->add(std::make_unique<ChangedPeople>(std::move(model)));
  return registry;
}

std::string ensure_error(const dp::test::IngestDatabase& db,
                         const dp::pipeline::PipelineRegistry& registry) {
  dp::db::LibpqConnection connection(db.database.conninfo());
  try {
    dp::ingest::ensure_staging_tables(connection, registry, "staging");
  } catch (const dp::ingest::StagingSchemaError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a column added to a kind's model is added to its table and recorded") {
  dp::test::IngestDatabase db;
  db.database.exec("INSERT INTO staging.people (file_id, line_no, id) VALUES (1, 2, 7)");
  const auto registry = changed_people([](dp::table::TableModel& model) {
    model.columns.insert(model.columns.begin() + 1,
                         {"email", dp::table::ColumnType::kText, false, "email", 0, 0});
    model.columns.push_back({"score", dp::table::ColumnType::kNumeric, true, "score", 6, 2});
  });
  CHECK(ensure_error(db, *registry).empty());
  CHECK(db.scalar("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || "
                  "attnotnull, ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = "
                  "'staging.people'::regclass AND attnum > 2") ==
        "id bigint true, name text false, born date false, email text false, "
        "score numeric(6,2) false");
  CHECK(db.scalar("SELECT count(*) FROM staging.people WHERE email IS NULL") == "1");
  CHECK(db.scalar("SELECT string_agg(concat_ws('|', staging_schema, table_name, kind, kind_source, "
                  "column_name, column_type, statement), E'\\n' ORDER BY change_id) "
                  "FROM ingest.staging_schema_changes") ==
        "staging|people|people|kinds/people.toml|email|text|ALTER TABLE \"staging\".\"people\" ADD "
        "COLUMN \"email\" text\n"
        "staging|people|people|kinds/people.toml|score|numeric(6,2)|ALTER TABLE "
        "\"staging\".\"people\" ADD COLUMN \"score\" numeric(6,2)");
  // The rows COPY writes follow the model's order, whatever order the table's columns have.
  CHECK(dp::table::copy_statement("staging", registry->all().front()->staging_model()) ==
        "COPY \"staging\".\"people\" (\"file_id\", \"line_no\", \"id\", \"email\", \"name\", "
        "\"born\", \"score\") FROM STDIN (FORMAT binary)");
  // Once it fits, nothing more happens.
  CHECK(ensure_error(db, *registry).empty());
  CHECK(db.scalar("SELECT count(*) FROM ingest.staging_schema_changes") == "2");
}

TEST_CASE("a removed column or a changed type is refused, saying what to do, and nothing changes") {
  dp::test::IngestDatabase db;
  const auto removed = changed_people(
      [](dp::table::TableModel& model) { model.columns.erase(model.columns.begin() + 1); });
  CHECK(ensure_error(db, *removed) ==
        "the staging tables do not fit the kinds (nothing was changed):\n  staging.people has "
        "column name (text) that kind people no longer declares: the service never drops loaded "
        "data; declare the column again, or save what you need and drop it yourself (ALTER TABLE "
        "staging.people DROP COLUMN name)");
  const auto retyped = changed_people([](dp::table::TableModel& model) {
    model.columns[2].type = dp::table::ColumnType::kTimestampTz;
    model.columns.push_back({"extra", dp::table::ColumnType::kText, true, "extra", 0, 0});
  });
  CHECK(ensure_error(db, *retyped) ==
        "the staging tables do not fit the kinds (nothing was changed):\n  column born of "
        "staging.people is date but kind people now declares it timestamptz: the service does "
        "not convert loaded rows; convert it yourself (ALTER TABLE staging.people ALTER COLUMN "
        "born TYPE timestamptz USING ...), or declare the old type again, or give the kind a new "
        "table");
  CHECK(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'staging.people'::regclass "
                  "AND attname = 'extra'") == "0");
  CHECK(db.scalar("SELECT count(*) FROM ingest.staging_schema_changes") == "0");
}
