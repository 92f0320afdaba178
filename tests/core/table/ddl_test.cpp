#include "core/table/ddl.hpp"

#include <doctest/doctest.h>

using dp::table::ColumnModel;
using dp::table::ColumnType;
using dp::table::TableModel;

TEST_CASE("identifiers are always quoted, embedded quotes doubled") {
  CHECK(dp::table::quote_identifier("staging") == "\"staging\"");
  CHECK(dp::table::quote_identifier("Odd \"name\"") == "\"Odd \"\"name\"\"\"");
  CHECK(dp::table::quote_identifier("x; DROP TABLE y") == "\"x; DROP TABLE y\"");
}

TEST_CASE("every column type has its PostgreSQL type") {
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kText, .source = ""}) == "text");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kInt32, .source = ""}) == "integer");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kInt64, .source = ""}) == "bigint");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kNumeric, .source = ""}) ==
        "numeric");
  CHECK(dp::table::sql_type({.name = "c",
                             .type = ColumnType::kNumeric,
                             .source = "",
                             .numeric_precision = 12,
                             .numeric_scale = 2}) == "numeric(12,2)");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kBoolean, .source = ""}) ==
        "boolean");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kDate, .source = ""}) == "date");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kTimestamp, .source = ""}) ==
        "timestamp");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kTimestampTz, .source = ""}) ==
        "timestamptz");
  CHECK(dp::table::sql_type({.name = "c", .type = ColumnType::kTextArray, .source = ""}) ==
        "text[]");
}

TEST_CASE("the staging DDL and COPY statement derive from the model, lineage first, no row key") {
  const TableModel model{
      .table = "user_traffic",
      .columns = {
          {.name = "user_id", .type = ColumnType::kInt64, .nullable = false, .source = ""},
          {.name = "campaign_code", .type = ColumnType::kText, .source = ""},
      }};
  CHECK(dp::table::create_table_sql("staging", model) ==
        "CREATE TABLE IF NOT EXISTS \"staging\".\"user_traffic\" (\"file_id\" bigint NOT NULL, "
        "\"line_no\" bigint NOT NULL, \"user_id\" bigint NOT NULL, \"campaign_code\" text)");
  CHECK(dp::table::file_index_name(model) == "user_traffic_file_id_brin");
  CHECK(dp::table::create_file_index_sql("staging", model) ==
        "CREATE INDEX IF NOT EXISTS \"user_traffic_file_id_brin\" ON \"staging\".\"user_traffic\" "
        "USING brin (\"file_id\") WITH (autosummarize = on)");
  CHECK(dp::table::copy_statement("staging", model) ==
        "COPY \"staging\".\"user_traffic\" (\"file_id\", \"line_no\", \"user_id\", "
        "\"campaign_code\") FROM STDIN (FORMAT binary)");
}
