#include "core/pipeline/model_converter.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv/csv_row.hpp"
#include "core/table/copy_row_writer.hpp"

using dp::csv::CsvRow;
using dp::csv::RowErrorKind;
using dp::pipeline::ExtraColumns;
using dp::pipeline::FileRejected;
using dp::table::ColumnModel;
using dp::table::ColumnType;
using dp::table::CopyRowWriter;
using dp::table::TableModel;

namespace {

TableModel traffic_model() {
  return TableModel{
      .table = "user_traffic",
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
      }};
}

/// A CSV record as the reader would hand it on, built from a raw line split at commas.
struct Record {
  explicit Record(std::string line_text, std::uint64_t line = 7) : raw(std::move(line_text)) {
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = raw.find(',', start);
      fields.push_back(std::string_view(raw).substr(start, comma - start));
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
    row.fields = fields;
    row.line = line;
    row.byte_offset = 1234;
    row.raw = raw;
  }
  std::string raw;
  std::vector<std::string_view> fields;
  CsvRow row;
};

/// Converts one record inside a row framed the way the ingest engine frames it.
std::optional<dp::csv::RowError> convert(dp::pipeline::RowConverter& converter,
                                         const Record& record, CopyRowWriter& out) {
  out.begin_row(6);
  out.put_int64(1);
  out.put_int64(static_cast<std::int64_t>(record.row.line));
  auto error = converter.convert(record.row, out);
  if (error) {
    out.abandon_row();
  } else {
    out.end_row();
  }
  return error;
}

const std::vector<std::string> kHeader{"user_id", "source_id", "referred_at", "campaign_code"};

}  // namespace

TEST_CASE("map_columns matches header names case-insensitively after trimming") {
  const std::vector<std::string> header{
      "\xEF\xBB\xBF"
      "Campaign_Code ",
      " REFERRED_AT", "extra", "source_id", "User_Id"};
  const auto mapping = dp::pipeline::map_columns(traffic_model(), &header, ExtraColumns::kIgnore);
  CHECK(mapping.field_index == std::vector<int>{4, 3, 1, 0});
  CHECK(mapping.expected_fields == 5);
  REQUIRE(mapping.warnings.size() == 1);
  CHECK(mapping.warnings[0] ==
        "ignoring header column \"extra\" (position 3): no staging column takes it");
  CHECK_THROWS_WITH_AS(dp::pipeline::map_columns(traffic_model(), &header, ExtraColumns::kFail),
                       "header has unexpected column \"extra\" (position 3)", FileRejected);
}

TEST_CASE("map_columns rejects a header that lacks or repeats a needed column") {
  const std::vector<std::string> missing{"user_id", "referred_at"};
  CHECK_THROWS_WITH_AS(dp::pipeline::map_columns(traffic_model(), &missing, ExtraColumns::kIgnore),
                       "header lacks columns \"source_id\", \"campaign_code\"", FileRejected);
  const std::vector<std::string> twice{"user_id", "source_id", "referred_at", "campaign_code",
                                       "USER_ID"};
  CHECK_THROWS_WITH_AS(dp::pipeline::map_columns(traffic_model(), &twice, ExtraColumns::kIgnore),
                       "header names column \"user_id\" twice (positions 1 and 5)", FileRejected);
}

TEST_CASE("without a header, sourced columns take the fields in order") {
  TableModel model = traffic_model();
  model.columns.insert(model.columns.begin() + 1,
                       ColumnModel{.name = "file_year", .type = ColumnType::kInt32, .source = ""});
  const auto mapping = dp::pipeline::map_columns(model, nullptr, ExtraColumns::kFail);
  CHECK(mapping.field_index == std::vector<int>{0, -1, 1, 2, 3});
  CHECK(mapping.expected_fields == 4);
}

TEST_CASE("the model converter writes typed values for a good row") {
  auto converter =
      dp::pipeline::make_model_converter(traffic_model(), &kHeader, ExtraColumns::kIgnore);
  CopyRowWriter out;
  const Record record("42,3,2024-07-30T23:27:05Z,spring");
  CHECK_FALSE(convert(*converter, record, out));
  CHECK(out.rows() == 1);

  CopyRowWriter expected;
  expected.begin_row(6);
  expected.put_int64(1);
  expected.put_int64(7);
  expected.put_int64(42);
  expected.put_int32(3);
  expected.put_timestamp(775697225000000);
  expected.put_text("spring");
  expected.end_row();
  CHECK(out.complete_bytes() == expected.complete_bytes());

  const Record no_campaign("42,3,2024-07-30T23:27:05Z,");
  CHECK_FALSE(convert(*converter, no_campaign, out));
  CHECK(out.rows() == 2);
}

TEST_CASE("rows with too few or too many fields are rejected with their position") {
  auto converter =
      dp::pipeline::make_model_converter(traffic_model(), &kHeader, ExtraColumns::kIgnore);
  CopyRowWriter out;
  const Record short_row("42,3,2024-07-30T23:27:05Z", 1814);
  const auto few = convert(*converter, short_row, out);
  REQUIRE(few);
  CHECK(few->kind == RowErrorKind::kTooFewColumns);
  CHECK(few->message == "expected 4 columns, found 3");
  CHECK(few->line == 1814);
  CHECK(few->byte_offset == 1234);
  CHECK(few->raw_line == "42,3,2024-07-30T23:27:05Z");
  CHECK(few->column.empty());

  const auto many = convert(*converter, Record("42,3,2024-07-30T23:27:05Z,x,y"), out);
  REQUIRE(many);
  CHECK(many->kind == RowErrorKind::kTooManyColumns);
  CHECK(many->message == "expected 4 columns, found 5");
  CHECK(out.rows() == 0);
  CHECK(out.complete_bytes().empty());
}

TEST_CASE("a bad value rejects the row, names the column, and leaves nothing behind") {
  auto converter =
      dp::pipeline::make_model_converter(traffic_model(), &kHeader, ExtraColumns::kIgnore);
  CopyRowWriter out;
  CHECK_FALSE(convert(*converter, Record("1,1,2024-01-01T00:00:00Z,ok"), out));
  const std::string before(out.complete_bytes());

  const auto bad_time = convert(*converter, Record("42,3,2024-13-01,spring", 9), out);
  REQUIRE(bad_time);
  CHECK(bad_time->kind == RowErrorKind::kBadValue);
  CHECK(bad_time->column == "referred_at");
  CHECK(bad_time->value == "2024-13-01");
  CHECK(bad_time->message == "column referred_at: \"2024-13-01\" is not a valid timestamp");
  CHECK(bad_time->raw_line == "42,3,2024-13-01,spring");
  CHECK(bad_time->line == 9);

  const auto missing = convert(*converter, Record("42,,2024-01-01T00:00:00Z,x"), out);
  REQUIRE(missing);
  CHECK(missing->kind == RowErrorKind::kMissingValue);
  CHECK(missing->column == "source_id");
  CHECK(missing->message == "column source_id: a value is required but the field is empty");

  const auto big = convert(*converter, Record("42,3000000000,2024-01-01T00:00:00Z,x"), out);
  REQUIRE(big);
  CHECK(big->message == "column source_id: \"3000000000\" is out of range for int");

  const auto latin1 = convert(*converter, Record("42,3,2024-01-01T00:00:00Z,caf\xE9"), out);
  REQUIRE(latin1);
  CHECK(latin1->kind == RowErrorKind::kInvalidUtf8);
  CHECK(latin1->message == "column campaign_code: value is not valid UTF-8");

  CHECK(out.complete_bytes() == before);
  CHECK(out.rows() == 1);
  CHECK_FALSE(convert(*converter, Record("2,2,2024-01-01T00:00:00Z,ok"), out));
  CHECK(out.rows() == 2);
}

TEST_CASE("write_value converts every scalar column type and reports failures") {
  CopyRowWriter out;
  out.begin_row(1);
  const ColumnModel amount{.name = "amount",
                           .type = ColumnType::kNumeric,
                           .source = "amount",
                           .numeric_precision = 5,
                           .numeric_scale = 2};
  CHECK(dp::pipeline::write_value(amount, "123456.7", out) ==
        "column amount: \"123456.7\" is out of range: numeric(5,2) allows at most 3 digits "
        "before the decimal point");
  CHECK(dp::pipeline::write_value(amount, "1e3", out) ==
        "column amount: \"1e3\" is not a valid number");
  const ColumnModel flag{
      .name = "is_premium", .type = ColumnType::kBoolean, .source = "is_premium"};
  CHECK(dp::pipeline::write_value(flag, "maybe", out) ==
        "column is_premium: \"maybe\" is not a valid boolean");
  const ColumnModel day{.name = "day", .type = ColumnType::kDate, .source = "day"};
  CHECK(dp::pipeline::write_value(day, "2023-02-29", out) ==
        "column day: \"2023-02-29\" is not a valid date");
  const ColumnModel text{.name = "note", .type = ColumnType::kText, .source = "note"};
  CHECK(dp::pipeline::write_value(text, std::string_view("a\0b", 3), out) ==
        "column note: value contains a NUL byte, which PostgreSQL text cannot store");
  const ColumnModel tags{.name = "tags", .type = ColumnType::kTextArray, .source = "tags"};
  const auto array_error = dp::pipeline::write_value(tags, "a,b", out);
  REQUIRE(array_error);
  CHECK(array_error->find("put_text_array") != std::string::npos);
  // None of the failures wrote anything: the row is still empty.
  CHECK_THROWS_AS(out.end_row(), std::logic_error);

  out.begin_row(1);
  CHECK_FALSE(dp::pipeline::write_value(amount, "2.345", out));
  out.end_row();
  CopyRowWriter expected;
  expected.begin_row(1);
  expected.put_numeric(dp::table::Decimal{false, "235", 2});
  expected.end_row();
  CHECK(out.complete_bytes() == expected.complete_bytes());
}

TEST_CASE("the generic converter refuses models it cannot fill") {
  TableModel derived = traffic_model();
  derived.columns.push_back(ColumnModel{
      .name = "file_year", .type = ColumnType::kInt32, .nullable = false, .source = ""});
  CHECK_THROWS_AS(dp::pipeline::make_model_converter(derived, &kHeader, ExtraColumns::kIgnore),
                  std::logic_error);
  TableModel with_array = traffic_model();
  with_array.columns.push_back(
      ColumnModel{.name = "skills", .type = ColumnType::kTextArray, .source = "skills"});
  CHECK_THROWS_AS(dp::pipeline::make_model_converter(with_array, &kHeader, ExtraColumns::kIgnore),
                  std::logic_error);
}

TEST_CASE("a nullable derived column is written as NULL by the generic converter") {
  TableModel model = traffic_model();
  model.columns.push_back(ColumnModel{.name = "note", .type = ColumnType::kText, .source = ""});
  auto converter = dp::pipeline::make_model_converter(model, &kHeader, ExtraColumns::kIgnore);
  CopyRowWriter out;
  const Record record("42,3,2024-07-30T23:27:05Z,spring");
  out.begin_row(7);
  out.put_int64(1);
  out.put_int64(2);
  REQUIRE_FALSE(converter->convert(record.row, out));
  out.end_row();
  const std::string_view bytes = out.complete_bytes();
  CHECK(bytes.substr(bytes.size() - 4) == std::string_view("\xFF\xFF\xFF\xFF", 4));
}
