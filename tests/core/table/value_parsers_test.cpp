#include "core/table/value_parsers.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

using dp::table::Decimal;
using dp::table::fit_decimal;
using dp::table::is_valid_utf8;
using dp::table::parse_bool;
using dp::table::parse_date;
using dp::table::parse_decimal;
using dp::table::parse_epoch_seconds;
using dp::table::parse_int32;
using dp::table::parse_int64;
using dp::table::parse_local_timestamp;
using dp::table::parse_timestamp;

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

std::string decimal_text(const Decimal& value) {
  return (value.negative ? "-" : "") + value.digits + "e-" + std::to_string(value.scale);
}

std::string fitted(const std::string& text, int precision, int scale) {
  auto parsed = parse_decimal(text);
  REQUIRE(parsed);
  const std::string problem = fit_decimal(*parsed.value, precision, scale);
  return problem.empty() ? decimal_text(*parsed.value) : "error: " + problem;
}

}  // namespace

TEST_CASE("integers accept signs and surrounding blanks, and nothing else") {
  CHECK(*parse_int32("42").value == 42);
  CHECK(*parse_int32("+5").value == 5);
  CHECK(*parse_int32(" 7 ").value == 7);
  CHECK(*parse_int32("\t-12").value == -12);
  CHECK(*parse_int32("007").value == 7);
  CHECK(*parse_int32("-0").value == 0);
  for (const char* bad :
       {"", " ", "+", "-", "1e3", "1.0", "0x10", "--5", "5-", "1 2", "١٢", "12a"}) {
    CAPTURE(bad);
    const auto parsed = parse_int32(bad);
    CHECK_FALSE(parsed);
    CHECK(parsed.error.find("is not a valid integer") != std::string::npos);
  }
  CHECK(parse_int32("1e3").error == "\"1e3\" is not a valid integer");
}

TEST_CASE("integers are range-checked for int and bigint") {
  CHECK(*parse_int32("2147483647").value == std::numeric_limits<std::int32_t>::max());
  CHECK(*parse_int32("-2147483648").value == std::numeric_limits<std::int32_t>::min());
  CHECK(parse_int32("2147483648").error == "\"2147483648\" is out of range for int");
  CHECK_FALSE(parse_int32("-2147483649"));
  CHECK(*parse_int64("9223372036854775807").value == std::numeric_limits<std::int64_t>::max());
  CHECK(*parse_int64("-9223372036854775808").value == std::numeric_limits<std::int64_t>::min());
  CHECK(parse_int64("9223372036854775808").error ==
        "\"9223372036854775808\" is out of range for bigint");
  CHECK_FALSE(parse_int64("-9223372036854775809"));
  CHECK_FALSE(parse_int64("99999999999999999999999999"));
  CHECK(parse_int64("99999999999999999999x").error.find("not a valid integer") !=
        std::string::npos);
  CHECK(*parse_int64(" 3000000000 ").value == 3'000'000'000);
}

TEST_CASE("decimals keep their digits and scale exactly") {
  CHECK(decimal_text(*parse_decimal("2542.89").value) == "254289e-2");
  CHECK(decimal_text(*parse_decimal("0.05").value) == "5e-2");
  CHECK(decimal_text(*parse_decimal("-1234567.89").value) == "-123456789e-2");
  CHECK(decimal_text(*parse_decimal("10000").value) == "10000e-0");
  CHECK(decimal_text(*parse_decimal("12.50").value) == "1250e-2");
  CHECK(decimal_text(*parse_decimal("0").value) == "0e-0");
  CHECK(decimal_text(*parse_decimal("-0.00").value) == "0e-2");
  CHECK(decimal_text(*parse_decimal("+.5").value) == "5e-1");
  CHECK(decimal_text(*parse_decimal("5.").value) == "5e-0");
  CHECK(decimal_text(*parse_decimal(" 000123.000 ").value) == "123000e-3");
  for (const char* bad : {"", ".", "-", "1e3", "1.2.3", "NaN", "Infinity", "1,5", "$5", "1 000"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_decimal(bad));
  }
  CHECK(parse_decimal("1e3").error == "\"1e3\" is not a valid number");
  CHECK_FALSE(parse_decimal(std::string(1001, '9')));
}

TEST_CASE("fit_decimal rounds half away from zero and checks the integer digits") {
  CHECK(fitted("2.345", 10, 2) == "235e-2");
  CHECK(fitted("-2.345", 10, 2) == "-235e-2");
  CHECK(fitted("2.344", 10, 2) == "234e-2");
  CHECK(fitted("9.995", 10, 2) == "1000e-2");
  CHECK(fitted("0.005", 10, 2) == "1e-2");
  CHECK(fitted("0.004", 10, 2) == "0e-2");
  CHECK(fitted("-0.004", 10, 2) == "0e-2");
  CHECK(fitted("0.0004", 10, 2) == "0e-2");
  CHECK(fitted("12.5", 10, 2) == "1250e-2");
  CHECK(fitted("0", 10, 2) == "0e-2");
  CHECK(fitted("99999999.99", 10, 2) == "9999999999e-2");
  CHECK(fitted("99999999.995", 10, 2) ==
        "error: numeric(10,2) allows at most 8 digits before the decimal point");
  CHECK(fitted("123456789", 10, 2) ==
        "error: numeric(10,2) allows at most 8 digits before the decimal point");
  CHECK(fitted("0.5", 3, 3) == "500e-3");
  CHECK(fitted("1", 3, 3).rfind("error:", 0) == 0);
  CHECK(fitted("1.5", 5, 0) == "2e-0");
  CHECK(fitted("1", 2, 5).rfind("error:", 0) == 0);
}

TEST_CASE("booleans accept the usual spellings in any case") {
  for (const char* yes : {"true", "TRUE", "t", "1", "yes", "Y", "on", " On "}) {
    CAPTURE(yes);
    CHECK(*parse_bool(yes).value);
  }
  for (const char* no : {"false", "F", "0", "no", "n", "OFF"}) {
    CAPTURE(no);
    CHECK_FALSE(*parse_bool(no).value);
  }
  for (const char* bad : {"", "2", "truth", "yes please", "nope"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_bool(bad));
  }
  CHECK(parse_bool("2").error == "\"2\" is not a valid boolean");
}

TEST_CASE("dates count days from 2000-01-01 and know leap years") {
  CHECK(*parse_date("2000-01-01").value == 0);
  CHECK(*parse_date("1999-12-31").value == -1);
  CHECK(*parse_date("2024-02-29").value == 8825);
  CHECK(*parse_date("0001-01-01").value == -730119);
  CHECK(*parse_date("9999-12-31").value == 2921939);
  CHECK(*parse_date(" 2000-02-29 ").value == 59);
  for (const char* bad : {"2023-02-29", "1900-02-29", "2100-02-29", "2024-13-01", "2024-00-10",
                          "2024-04-31", "2024-01-00", "0000-01-01", "2024-1-01", "24-01-01",
                          "2024/01/01", "2024-01-01T00:00", "", "20240101"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_date(bad));
  }
  CHECK(parse_date("2024-13-01").error == "\"2024-13-01\" is not a valid date");
}

TEST_CASE("timestamps take T or space, optional seconds, fractions and zone offsets") {
  CHECK(*parse_timestamp("2000-01-01T00:00:00Z").value == 0);
  CHECK(*parse_timestamp("2000-01-01 00:00").value == 0);
  CHECK(*parse_timestamp("2024-02-29T23:30:00+02:00").value == 762557400000000);
  CHECK(*parse_timestamp("2024-02-29T23:30:00+0200").value == 762557400000000);
  CHECK(*parse_timestamp("2024-02-29T23:30+02").value == 762557400000000);
  CHECK(*parse_timestamp("2024-03-01 00:15-01:30").value == 762572700000000);
  CHECK(*parse_timestamp("2024-02-29t21:30:00z").value == 762557400000000);
  CHECK(*parse_timestamp("1999-12-31T23:59:59.999999Z").value == -1);
  CHECK(*parse_timestamp("2024-07-30T23:27:05Z").value == 775697225000000);
  CHECK(*parse_timestamp("1970-01-01T00:00:00Z").value == -946684800 * kMicrosPerSecond);
  CHECK(*parse_timestamp("2024-06-01T12:00:00.5+05").value == 770540400500000);
  CHECK(*parse_timestamp("2000-01-01T00:00:00.000001").value == 1);
  CHECK(*parse_timestamp("2000-01-01T00:00:00.12").value == 120000);
  CHECK(*parse_timestamp(" 2000-01-01T00:00:01 ").value == kMicrosPerSecond);
}

TEST_CASE("timestamps outside the calendar or the grammar are rejected") {
  for (const char* bad : {
           "2024-13-01T00:00:00Z",         // month
           "2023-02-29T00:00:00Z",         // not a leap year
           "2024-01-01T24:00:00Z",         // hour
           "2024-01-01T23:60:00Z",         // minute
           "2024-01-01T23:59:60Z",         // leap second
           "2024-01-01T00:00:00.1234567",  // more than microseconds
           "2024-01-01T00:00:00.",         // empty fraction
           "2024-01-01",                   // no time
           "2024-01-01T",                  // no time
           "2024-01-01T1:00",              // one-digit hour
           "2024-01-01T10",                // no minutes
           "2024-01-01T10:00:00+16:00",    // offset beyond PostgreSQL's
           "2024-01-01T10:00:00+02:60",    // offset minutes
           "2024-01-01T10:00:00+2",        // one-digit offset
           "2024-01-01T10:00:00+02:0",     // short offset minutes
           "2024-01-01T10:00:00 +02:00",   // space before the zone
           "2024-01-01T10:00:00ZZ",        // trailing text
           "2024-01-01X10:00:00",          // separator
           "",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_timestamp(bad));
  }
  CHECK(parse_timestamp("2024-13-01").error == "\"2024-13-01\" is not a valid timestamp");
}

TEST_CASE("local timestamps keep the wall clock and ignore the offset, as PostgreSQL does") {
  CHECK(*parse_local_timestamp("2024-02-29T23:30:00+02:00").value ==
        762557400000000 + 2 * 3600 * kMicrosPerSecond);
  CHECK(*parse_local_timestamp("2024-02-29 23:30:00").value ==
        *parse_timestamp("2024-02-29 23:30:00Z").value);
  CHECK_FALSE(parse_local_timestamp("2024-02-30 00:00"));
}

TEST_CASE("epoch seconds convert to the PostgreSQL epoch") {
  CHECK(*parse_epoch_seconds("946684800").value == 0);
  CHECK(*parse_epoch_seconds("0").value == -946684800 * kMicrosPerSecond);
  CHECK(*parse_epoch_seconds("946684800.25").value == 250000);
  CHECK(*parse_epoch_seconds("-1.5").value == -946684801500000);
  CHECK(*parse_epoch_seconds(" 1722382025 ").value == 775697225000000);
  for (const char* bad :
       {"", "1e9", "12.", "1.1234567", "abc", "99999999999999", "9999999999999", "-99999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_epoch_seconds(bad));
  }
}

TEST_CASE("UTF-8 validation rejects overlongs, surrogates, truncation and stray bytes") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII text that is longer than eight bytes"));
  CHECK(is_valid_utf8("autónomo, 日本語, 🎉, Ω"));
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  CHECK_FALSE(is_valid_utf8("caf\xE9"));     // Latin-1 é
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));    // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
  CHECK_FALSE(is_valid_utf8("abcdefgh\x80"));
  CHECK_FALSE(is_valid_utf8("\xE6\x97"));  // truncated 日
  CHECK_FALSE(
      is_valid_utf8("\xE6\x97"
                    "abcdefgh"));
}

TEST_CASE("values quoted in messages stay valid one-line UTF-8 and short") {
  CHECK(parse_int32("12\xFF\n").error == "\"12\\xFF\\x0A\" is not a valid integer");
  CHECK(parse_int32(std::string_view("7\0", 2)).error == "\"7\\x00\" is not a valid integer");
  CHECK(parse_date("día").error == "\"día\" is not a valid date");
  const std::string long_value(200, 'x');
  CHECK(parse_int64(long_value).error ==
        "\"" + std::string(80, 'x') + "\"... is not a valid integer");
}
