// Round trips through a real PostgreSQL: values converted and encoded by core/table, streamed by
// CopySink into a table made by create_table_sql, then read back as text.
#include <doctest/doctest.h>

#include <array>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/copy_sink.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/pipeline/model_converter.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/ddl.hpp"
#include "core/table/value_parsers.hpp"
#include "tests/support/test_database.hpp"

using dp::db::CopySink;
using dp::db::LibpqConnection;
using dp::table::ColumnModel;
using dp::table::ColumnType;
using dp::table::CopyRowWriter;
using dp::table::TableModel;

namespace {

struct TypedValue {
  int line = 0;
  std::string input;
  std::string expected;
};

/// The fixture's values grouped by column type name, in file order.
std::map<std::string, std::vector<TypedValue>> read_typed_values() {
  std::ifstream in(std::string(DP_TEST_DATA_DIR) + "/table/typed_values.tsv");
  REQUIRE(in.good());
  std::map<std::string, std::vector<TypedValue>> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto first = line.find('\t');
    const auto second = line.find('\t', first + 1);
    REQUIRE(second != std::string::npos);
    values[line.substr(0, first)].push_back(
        {number, line.substr(first + 1, second - first - 1), line.substr(second + 1)});
  }
  return values;
}

ColumnModel column_for(const std::string& type_name) {
  ColumnModel column{.name = "value", .source = "value"};
  static const std::map<std::string, ColumnType> kTypes{
      {"text", ColumnType::kText},           {"integer", ColumnType::kInt32},
      {"bigint", ColumnType::kInt64},        {"numeric", ColumnType::kNumeric},
      {"boolean", ColumnType::kBoolean},     {"date", ColumnType::kDate},
      {"timestamp", ColumnType::kTimestamp}, {"timestamptz", ColumnType::kTimestampTz}};
  if (type_name == "numeric(10,2)") {
    column.type = ColumnType::kNumeric;
    column.numeric_precision = 10;
    column.numeric_scale = 2;
  } else {
    REQUIRE(kTypes.count(type_name) == 1);
    column.type = kTypes.at(type_name);
  }
  return column;
}

/// Copies the writer's rows into `model`'s table in one COPY and returns the server's count.
std::uint64_t copy_rows(LibpqConnection& connection, const TableModel& model,
                        CopyRowWriter& writer) {
  CopySink sink(connection);
  sink.begin(dp::table::copy_statement("staging", model));
  sink.write(writer.complete_bytes());
  writer.consume_complete();
  return sink.finish();
}

std::string hex_of(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  for (const char c : bytes) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 0x0F];
  }
  return out;
}

/// Our encoding of one value, without the field's length word: what `<type>_send` returns.
template <typename Put>
std::string encoded_value(Put put) {
  CopyRowWriter writer;
  writer.begin_row(1);
  put(writer);
  writer.end_row();
  return hex_of(writer.complete_bytes().substr(6));
}

}  // namespace

TEST_CASE("every scalar column type survives a binary COPY round trip through PostgreSQL") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  connection.exec("CREATE SCHEMA staging; SET TimeZone = 'UTC'");
  int table_number = 0;
  for (const auto& [type_name, values] : read_typed_values()) {
    CAPTURE(type_name);
    const TableModel model{.table = "values_" + std::to_string(++table_number),
                           .columns = {column_for(type_name)}};
    connection.exec(dp::table::create_table_sql("staging", model));
    CopyRowWriter writer;
    for (const TypedValue& value : values) {
      writer.begin_row(3);
      writer.put_int64(1);
      writer.put_int64(value.line);
      const auto error = dp::pipeline::write_value(model.columns[0], value.input, writer);
      CAPTURE(value.input);
      REQUIRE_MESSAGE(!error, *error);
      writer.end_row();
    }
    CHECK(copy_rows(connection, model, writer) == values.size());
    const auto result =
        connection.exec("SELECT line_no, value::text FROM staging." +
                        dp::table::quote_identifier(model.table) + " ORDER BY line_no");
    REQUIRE(result.rows() == static_cast<int>(values.size()));
    for (int row = 0; row < result.rows(); ++row) {
      const TypedValue& value = values[static_cast<std::size_t>(row)];
      CAPTURE(value.line);
      CAPTURE(value.input);
      CHECK(result.get(row, 0) == std::to_string(value.line));
      const std::string got = result.is_null(row, 1)         ? "NULL"
                              : result.get(row, 1) == "NULL" ? "NULL-TEXT"
                                                             : std::string(result.get(row, 1));
      CHECK(got == value.expected);
    }
  }
}

TEST_CASE("a staging-shaped table with text[] round trips through the model converter") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  connection.exec("CREATE SCHEMA staging; SET TimeZone = 'UTC'");
  TableModel model{
      .table = "user traffic \"odd\" name",
      .columns = {
          {.name = "user_id", .type = ColumnType::kInt64, .nullable = false, .source = "user_id"},
          {.name = "source_id",
           .type = ColumnType::kInt32,
           .nullable = false,
           .source = "source_id"},
          {.name = "referred_at",
           .type = ColumnType::kTimestampTz,
           .nullable = false,
           .source = "referred_at"},
          {.name = "campaign_code", .type = ColumnType::kText, .source = "campaign_code"},
          {.name = "skills", .type = ColumnType::kTextArray, .source = ""},
      }};
  connection.exec(dp::table::create_table_sql("staging", model));
  // The generic converter cannot fill text[]; this test plays the kind that splits `skills`.
  TableModel sourced = model;
  sourced.columns.pop_back();
  const std::vector<std::string> header{"user_id", "source_id", "referred_at", "campaign_code"};
  auto converter =
      dp::pipeline::make_model_converter(sourced, &header, dp::pipeline::ExtraColumns::kFail);
  const std::vector<std::array<std::string_view, 4>> rows{
      {"42", "3", "2024-07-30T23:27:05Z", "spring"},
      {"43", "1", "2024-07-31T01:00:00+03:00", ""},
      {"44", "x", "2024-07-31T01:00:00Z", "rejected"},
      {"45", "2", "2024-02-29 12:00", "ünïcødé"},
  };
  const std::vector<std::vector<std::string_view>> skills{
      {"E", "F", "C"}, {}, {"never"}, {"日本語", "a,b", "q\"uote", "{brace}", "back\\slash", ""}};
  CopyRowWriter writer;
  std::vector<std::string> rejects;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    dp::csv::CsvRow row;
    row.fields = rows[i];
    row.line = i + 2;
    writer.begin_row(7);
    writer.put_int64(5);
    writer.put_int64(static_cast<std::int64_t>(row.line));
    if (auto error = converter->convert(row, writer)) {
      writer.abandon_row();
      rejects.push_back(error->message);
      continue;
    }
    writer.put_text_array(skills[i]);
    writer.end_row();
  }
  REQUIRE(rejects == std::vector<std::string>{"column source_id: \"x\" is not a valid integer"});
  CHECK(copy_rows(connection, model, writer) == 3);
  const auto result = connection.exec(
      "SELECT line_no, user_id, source_id, referred_at::text, coalesce(campaign_code, '<null>'), "
      "skills::text, array_length(skills, 1) FROM staging." +
      dp::table::quote_identifier(model.table) + " ORDER BY line_no");
  REQUIRE(result.rows() == 3);
  CHECK(result.get(0, 3) == "2024-07-30 23:27:05+00");
  CHECK(result.get(0, 4) == "spring");
  CHECK(result.get(0, 5) == "{E,F,C}");
  CHECK(result.get(1, 3) == "2024-07-30 22:00:00+00");
  CHECK(result.get(1, 4) == "<null>");
  CHECK(result.get(1, 5) == "{}");
  CHECK(result.is_null(1, 6));
  CHECK(result.get(2, 0) == "5");
  CHECK(result.get(2, 1) == "45");
  CHECK(result.get(2, 4) == "ünïcødé");
  CHECK(result.get(2, 5) == "{日本語,\"a,b\",\"q\\\"uote\",\"{brace}\",\"back\\\\slash\",\"\"}");
  CHECK(result.get(2, 6) == "6");
  const auto second =
      connection.exec("SELECT skills[2] FROM staging." + dp::table::quote_identifier(model.table) +
                      " WHERE line_no = 5");
  CHECK(second.get(0, 0) == "a,b");
}

TEST_CASE("our binary encodings equal the server's own send functions byte for byte") {
  dp::test::TestDatabase database;
  LibpqConnection connection(database.conninfo());
  std::vector<std::string> numerics{"0",           "0.05",
                                    "-1234567.89", "10000",
                                    "12.50",       "0.0001",
                                    "1e0",         "99999999999999999999.000000001",
                                    "-0.000005",   "123456789012345678901234567890.5",
                                    "0.10"};
  std::mt19937_64 random(20240730);
  for (int i = 0; i < 300; ++i) {
    std::string text = random() % 2 ? "-" : "";
    text += std::to_string(random() % 1000000000000ULL);
    if (random() % 3 != 0) {
      std::string fraction = std::to_string(random() % 100000000ULL);
      text += "." + std::string(random() % 4, '0') + fraction;
    }
    numerics.push_back(text);
  }
  for (const std::string& text : numerics) {
    auto parsed = dp::table::parse_decimal(text);
    if (!parsed) {
      continue;  // "1e0" is ours to reject, not the server's
    }
    CAPTURE(text);
    const auto server = connection.exec_params("SELECT numeric_send($1::numeric)", {text});
    CHECK(server.get(0, 0) ==
          encoded_value([&](CopyRowWriter& w) { w.put_numeric(*parsed.value); }));
  }
  for (const std::string text : {"2024-02-29T23:30:00+02:00", "0001-01-01T00:00:00Z",
                                 "1999-12-31T23:59:59.999999Z", "2024-03-01 00:15-0130"}) {
    CAPTURE(text);
    const auto server = connection.exec_params(
        "SELECT timestamptz_send($1::text::timestamptz), timestamp_send($1::text::timestamp), "
        "date_send(left($1::text, 10)::date)",
        {text});
    CHECK(server.get(0, 0) == encoded_value([&](CopyRowWriter& w) {
            w.put_timestamp(*dp::table::parse_timestamp(text).value);
          }));
    CHECK(server.get(0, 1) == encoded_value([&](CopyRowWriter& w) {
            w.put_timestamp(*dp::table::parse_local_timestamp(text).value);
          }));
    CHECK(server.get(0, 2) == encoded_value([&](CopyRowWriter& w) {
            w.put_date(*dp::table::parse_date(text.substr(0, 10)).value);
          }));
  }
  const std::array<std::string_view, 3> elements{"a", "日本", ""};
  const auto server = connection.exec("SELECT array_send(ARRAY['a', '日本', '']::text[])");
  CHECK(server.get(0, 0) == encoded_value([&](CopyRowWriter& w) { w.put_text_array(elements); }));
}
