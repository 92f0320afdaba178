// The staging models against the agreed staging tables (the warehouse SQL is written against
// exactly these names, types and NOT NULLs): each model's DDL is created in a real PostgreSQL
// and the server's catalog is compared with the agreement.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/table/ddl.hpp"
#include "models/analyst_snapshots_model.hpp"
#include "models/calendar_model.hpp"
#include "models/case_logs_model.hpp"
#include "models/cases_model.hpp"
#include "models/habit_records_model.hpp"
#include "models/marketing_daily_model.hpp"
#include "models/priority_sla_model.hpp"
#include "models/products_model.hpp"
#include "models/title_data_model.hpp"
#include "models/traffic_sources_model.hpp"
#include "models/user_traffic_model.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {
namespace {

/// The agreed tables, in the server's own spelling of types, lineage columns first.
const std::map<const table::TableModel*, std::string>& agreed_tables() {
  static const std::string kLineage = "file_id bigint NN, line_no bigint NN, ";
  static const std::map<const table::TableModel*, std::string> tables = {
      {&models::user_traffic_model(),
       kLineage + "user_id bigint NN, source_id integer NN, referred_at timestamp with time zone "
                  "NN, campaign_code text"},
      {&models::marketing_daily_model(),
       kLineage + "source_name text NN, channel_type text, date date NN, ad_spend numeric(14,2), "
                  "impressions bigint, clicks bigint, leads bigint, revenue numeric(14,2)"},
      {&models::traffic_sources_model(),
       kLineage + "source_id integer NN, name text NN, channel text"},
      {&models::title_data_model(), kLineage + "title text NN, pdl_count bigint, related text[]"},
      {&models::habit_records_model(),
       kLineage + "habit_name text NN, category_name text, user_id bigint NN, chat_id bigint, "
                  "duration_minutes numeric, username text, first_name text, last_name text, "
                  "is_premium boolean, language_code text, record_date_unix bigint NN, "
                  "recorded_at timestamp with time zone NN"},
      {&models::analyst_snapshots_model(),
       kLineage + "aid text NN, name text, team text, skills text, created_at timestamp without "
                  "time zone, updated_at timestamp without time zone, snapshot_year integer"},
      {&models::cases_model(),
       kLineage + "cid text NN, priority integer, created_at timestamp without time zone, "
                  "aid text, pid text"},
      {&models::case_logs_model(),
       kLineage + "logged_at timestamp without time zone NN, cid text NN, event text NN"},
      {&models::products_model(), kLineage + "pid text NN, name text, parent_pid text"},
      {&models::priority_sla_model(),
       kLineage + "id integer NN, name text, assign_sla_hours numeric, response_sla_hours "
                  "numeric, resolve_sla_hours numeric"},
      {&models::calendar_model(),
       kLineage + "date_key integer NN, date date, day_of_month integer, day_of_month_text text, "
                  "month integer, month_text text, month_name text, month_short text, "
                  "quarter_name text, year integer, iso_weekday integer, day_name text, "
                  "day_short text, week_of_year integer"},
  };
  return tables;
}

TEST_CASE("every staging model creates exactly the agreed table in PostgreSQL") {
  TestDatabase db;
  db::LibpqConnection connection(db.conninfo());
  connection.exec("CREATE SCHEMA staging");
  for (const auto& [model, agreed] : agreed_tables()) {
    CAPTURE(model->table);
    connection.exec(table::create_table_sql("staging", *model));
    connection.exec(table::create_file_index_sql("staging", *model));
    const std::string actual = db.scalar(
        "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || "
        "CASE WHEN attnotnull THEN ' NN' ELSE '' END, ', ' ORDER BY attnum) FROM pg_attribute "
        "WHERE attrelid = 'staging." +
        model->table +
        "'::regclass AND attnum > 0 AND "
        "NOT attisdropped");
    CHECK(actual == agreed);
    // No key and no per-row index (issue 14): one BRIN index on file_id.
    CHECK(db.scalar("SELECT string_agg(am.amname || ' ' || a.attname, ',') FROM pg_index AS i "
                    "JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS am ON am.oid = "
                    "c.relam JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND "
                    "a.attnum = ANY (i.indkey) WHERE i.indrelid = 'staging." +
                    model->table + "'::regclass") == "brin file_id");
  }
  CHECK(db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'staging'") == "11");
}

TEST_CASE("each column says where its value comes from") {
  // Derived columns (no source) are the ones the pipelines compute; every other column names
  // the header (or, for headerless kinds, the positional field) it is read from.
  const std::map<std::string, std::string> derived = {{"habit_records", "recorded_at"},
                                                      {"analyst_snapshots", "snapshot_year"}};
  for (const auto& [model, agreed] : agreed_tables()) {
    CAPTURE(model->table);
    for (const auto& column : model->columns) {
      CAPTURE(column.name);
      const auto found = derived.find(model->table);
      const bool is_derived = found != derived.end() && found->second == column.name;
      CHECK(column.source.empty() == is_derived);
    }
  }
}

}  // namespace
}  // namespace dp::test
