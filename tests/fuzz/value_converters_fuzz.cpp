// Fuzz target over the value converters (core/table value_parsers, datetime_parsers and
// write_value of model_converter): any text through every parser, each accepted value written
// back as text must parse to the same value, and write_value must agree with the parser of its
// column type and leave nothing behind when it rejects.
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "core/csv/utf8.hpp"
#include "core/pipeline/model_converter.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/table_model.hpp"
#include "core/table/value_parsers.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace dp::fuzz {
namespace {

using table::ColumnType;

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr std::int64_t kUnixToPostgresDays = 10'957;

/// Civil date of a day count since 1970-01-01 (the inverse of the parsers' days_from_civil),
/// written independently so that a shared mistake cannot hide.
void civil_from_days(std::int64_t days, std::int64_t& year, int& month, int& day) {
  days += 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const std::int64_t day_of_era = days - era * 146'097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  return value / divisor - (value % divisor < 0 ? 1 : 0);
}

std::string date_text(std::int64_t postgres_days) {
  std::int64_t year = 0;
  int month = 0;
  int day = 0;
  civil_from_days(postgres_days + kUnixToPostgresDays, year, month, day);
  char text[64];
  std::snprintf(text, sizeof text, "%04" PRId64 "-%02d-%02d", year, month, day);
  return text;
}

std::string timestamp_text(std::int64_t micros) {
  const std::int64_t days = floor_div(micros, kMicrosPerDay);
  const std::int64_t in_day = micros - days * kMicrosPerDay;
  const std::int64_t seconds = in_day / 1'000'000;
  char text[128];
  std::snprintf(text, sizeof text, "%sT%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%06" PRId64 "Z",
                date_text(days).c_str(), seconds / 3600, seconds / 60 % 60, seconds % 60,
                in_day % 1'000'000);
  return text;
}

std::string decimal_text(const table::Decimal& value) {
  std::string digits = value.digits;
  const auto scale = static_cast<std::size_t>(value.scale);
  if (digits.size() <= scale) {
    digits.insert(0, scale - digits.size() + 1, '0');
  }
  if (scale > 0) {
    digits.insert(digits.size() - scale, 1, '.');
  }
  return (value.negative ? "-" : "") + digits;
}

bool same_decimal(const table::Decimal& a, const table::Decimal& b) {
  return a.negative == b.negative && a.digits == b.digits && a.scale == b.scale;
}

void check_decimal_shape(const table::Decimal& value) {
  require(!value.digits.empty(), "a decimal without digits");
  require(value.digits.find_first_not_of("0123456789") == std::string::npos,
          "a decimal digit that is not a digit");
  require(value.digits == "0" || value.digits.front() != '0', "a decimal with a leading zero");
  require(value.digits != "0" || !value.negative, "a negative zero");
  require(value.scale >= 0, "a negative scale");
}

void check_numbers(std::string_view text) {
  const auto int64 = table::parse_int64(text);
  const auto int32 = table::parse_int32(text);
  require(int64.value.has_value() == int64.error.empty(), "parse_int64: value xor error");
  require(int32.value.has_value() == int32.error.empty(), "parse_int32: value xor error");
  if (int64) {
    require(table::parse_int64(std::to_string(*int64.value)).value == int64.value,
            "an int64 does not survive printing");
    const bool fits = *int64.value >= std::numeric_limits<std::int32_t>::min() &&
                      *int64.value <= std::numeric_limits<std::int32_t>::max();
    require(int32.value.has_value() == fits, "parse_int32 disagrees with parse_int64's range");
    require(!fits || *int32.value == *int64.value, "parse_int32 and parse_int64 differ");
  } else {
    require(!int32, "parse_int32 accepts what parse_int64 rejects");
  }

  auto decimal = table::parse_decimal(text);
  require(decimal.value.has_value() == decimal.error.empty(), "parse_decimal: value xor error");
  if (int64) {
    require(decimal.value.has_value(), "an integer is not a valid decimal");
  }
  if (!decimal) {
    return;
  }
  check_decimal_shape(*decimal.value);
  const auto again = table::parse_decimal(decimal_text(*decimal.value));
  require(again && same_decimal(*again.value, *decimal.value),
          "a decimal does not survive printing");
  const auto precision = static_cast<int>(1 + text.size() % 40);
  for (const int scale : {0, precision / 2, precision}) {
    table::Decimal fitted = *decimal.value;
    const std::string problem = table::fit_decimal(fitted, precision, scale);
    if (problem.empty()) {
      check_decimal_shape(fitted);
      require(fitted.scale == scale, "fit_decimal left another scale");
      const std::size_t integer_digits =
          fitted.digits == "0" || fitted.digits.size() <= static_cast<std::size_t>(scale)
              ? 0
              : fitted.digits.size() - static_cast<std::size_t>(scale);
      require(integer_digits <= static_cast<std::size_t>(precision - scale),
              "fit_decimal accepted too many integer digits");
    }
  }
  table::CopyRowWriter writer;
  writer.begin_row(1);
  writer.put_numeric(*decimal.value);
  writer.end_row();
}

void check_dates_and_times(std::string_view text) {
  const auto date = table::parse_date(text);
  require(date.value.has_value() == date.error.empty(), "parse_date: value xor error");
  if (date) {
    require(table::parse_date(date_text(*date.value)).value == date.value,
            "a date does not survive printing");
  }
  const auto local = table::parse_local_timestamp(text);
  const auto zoned = table::parse_timestamp(text);
  require(local.value.has_value() == zoned.value.has_value(),
          "timestamp and timestamptz disagree on validity");
  if (local) {
    require(table::parse_local_timestamp(timestamp_text(*local.value)).value == local.value,
            "a timestamp does not survive printing");
    const std::int64_t shift = *local.value - *zoned.value;
    require(
        shift % 60'000'000 == 0 && shift >= -16LL * 3'600'000'000 && shift <= 16LL * 3'600'000'000,
        "a zone offset that is not whole minutes within 16 hours");
  }
  const auto epoch = table::parse_epoch_seconds(text);
  require(epoch.value.has_value() == epoch.error.empty(), "parse_epoch_seconds: value xor error");
  if (epoch) {
    require(table::parse_local_timestamp(timestamp_text(*epoch.value)).value == epoch.value,
            "an epoch time outside what timestamp columns take");
  }
}

void check_write_value(std::string_view text, std::uint8_t config) {
  static constexpr ColumnType kTypes[] = {
      ColumnType::kText,      ColumnType::kInt32,       ColumnType::kInt64,
      ColumnType::kNumeric,   ColumnType::kBoolean,     ColumnType::kDate,
      ColumnType::kTimestamp, ColumnType::kTimestampTz, ColumnType::kTextArray,
  };
  table::ColumnModel column;
  column.name = "fuzzed";
  column.type = kTypes[config % std::size(kTypes)];
  column.nullable = (config & 0x10) != 0;
  if ((config & 0x20) != 0) {
    column.numeric_precision = 1 + static_cast<int>(text.size() % 30);
    column.numeric_scale = column.numeric_precision / 3;
  }
  table::CopyRowWriter writer;
  writer.begin_row(2);
  writer.put_null();
  const std::size_t before = writer.complete_bytes().size();
  const auto error = pipeline::write_value(column, text, writer);
  if (error) {
    require(!error->empty(), "a rejected value without a message");
    writer.abandon_row();
    require(writer.complete_bytes().size() == before && writer.rows() == 0,
            "a rejected value left bytes behind");
  } else {
    writer.end_row();  // throws (and so fails) when write_value wrote no field or two
    require(writer.rows() == 1, "an accepted value did not make a row");
  }
  if (text.empty()) {
    require(error.has_value() != column.nullable, "empty text: NULL exactly when nullable");
    return;
  }
  bool parses = false;
  switch (column.type) {
    case ColumnType::kText:
      parses = csv::find_invalid_text(text) == csv::kNoUtf8Error;
      break;
    case ColumnType::kInt32:
      parses = table::parse_int32(text).value.has_value();
      break;
    case ColumnType::kInt64:
      parses = table::parse_int64(text).value.has_value();
      break;
    case ColumnType::kNumeric: {
      auto decimal = table::parse_decimal(text);
      parses = decimal.value.has_value() &&
               (column.numeric_precision == 0 ||
                table::fit_decimal(*decimal.value, column.numeric_precision, column.numeric_scale)
                    .empty());
      break;
    }
    case ColumnType::kBoolean:
      parses = table::parse_bool(text).value.has_value();
      break;
    case ColumnType::kDate:
      parses = table::parse_date(text).value.has_value();
      break;
    case ColumnType::kTimestamp:
      parses = table::parse_local_timestamp(text).value.has_value();
      break;
    case ColumnType::kTimestampTz:
      parses = table::parse_timestamp(text).value.has_value();
      break;
    case ColumnType::kTextArray:
      parses = false;
      break;
  }
  require(parses != error.has_value(), "write_value disagrees with its column type's parser");
}

}  // namespace
}  // namespace dp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dp::fuzz::InputBytes input(data, size);
  const std::uint8_t config = input.take_byte();
  const std::string_view text = input.rest();
  dp::fuzz::check_numbers(text);
  dp::fuzz::check_dates_and_times(text);
  dp::fuzz::check_write_value(text, config);
  const bool valid = dp::table::is_valid_utf8(text);
  const bool storable = dp::csv::find_invalid_text(text) == dp::csv::kNoUtf8Error;
  dp::fuzz::require(storable == (valid && text.find('\0') == std::string_view::npos),
                    "the two UTF-8 checks disagree");
  return 0;
}
