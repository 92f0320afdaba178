#include "core/config/value_parsing.hpp"

#include <doctest/doctest.h>

#include "core/config/config_error.hpp"

using namespace std::chrono_literals;
using dp::config::PlainDurationUnit;
using dp::config::ValueError;

TEST_CASE("booleans accept exactly true/false/1/0/yes/no/on/off in any case") {
  using dp::config::parse_bool;
  for (const char* text : {"true", "TRUE", "True", "1", "yes", "YES", "on", "On", " true "}) {
    CHECK_MESSAGE(parse_bool(text), text);
  }
  for (const char* text : {"false", "False", "FALSE", "0", "no", "No", "off", "OFF"}) {
    CHECK_FALSE_MESSAGE(parse_bool(text), text);
  }
  for (const char* text : {"maybe", "", "t", "f", "y", "n", "2", "ture", "yes please", "-1"}) {
    CHECK_THROWS_WITH_AS(parse_bool(text), "expected true/false/1/0/yes/no/on/off", ValueError);
  }
}

TEST_CASE("integers are whole, unsigned-looking numbers inside their range") {
  using dp::config::parse_integer;
  CHECK(parse_integer("4", 1, 64) == 4);
  CHECK(parse_integer(" 64 ", 1, 64) == 64);
  CHECK(parse_integer("-3", -5, 5) == -3);
  CHECK_THROWS_WITH_AS(parse_integer("0", 1, 64), "expected a whole number from 1 to 64",
                       ValueError);
  CHECK_THROWS_AS(parse_integer("65", 1, 64), ValueError);
  CHECK_THROWS_AS(parse_integer("4.0", 1, 64), ValueError);
  CHECK_THROWS_AS(parse_integer("four", 1, 64), ValueError);
  CHECK_THROWS_AS(parse_integer("+4", 1, 64), ValueError);
  CHECK_THROWS_AS(parse_integer("", 1, 64), ValueError);
  CHECK_THROWS_AS(parse_integer("99999999999999999999", 1, 64), ValueError);
}

TEST_CASE("decimal numbers are fixed-point and range-checked") {
  using dp::config::parse_number;
  CHECK(parse_number("0.25", 0, 1) == doctest::Approx(0.25));
  CHECK(parse_number("1", 0, 1) == doctest::Approx(1.0));
  CHECK_THROWS_AS(parse_number("1.5", 0, 1), ValueError);
  CHECK_THROWS_AS(parse_number("1e-1", 0, 1), ValueError);
  CHECK_THROWS_AS(parse_number("nan", 0, 1), ValueError);
  CHECK_THROWS_AS(parse_number("0.1x", 0, 1), ValueError);
}

TEST_CASE("durations take a unit, or a plain number in the key's unit") {
  using dp::config::parse_duration;
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("30s") == 30s);
  CHECK(parse_duration("5m") == 5min);
  CHECK(parse_duration("1h") == 1h);
  CHECK(parse_duration("2d") == 48h);
  CHECK(parse_duration("1h30m") == 90min);
  CHECK(parse_duration("1m30s500ms") == 90500ms);
  CHECK(parse_duration("5M") == 5min);
  CHECK(parse_duration("0") == 0ms);
  CHECK(parse_duration("45") == 45s);
  CHECK(parse_duration("45", PlainDurationUnit::kMilliseconds) == 45ms);
  for (const char* text : {"", "ms", "5 m", "5min", "1.5s", "-5s", "5x", "1h30", "s5"}) {
    CHECK_THROWS_AS_MESSAGE(parse_duration(text), ValueError, text);
  }
  CHECK_THROWS_AS(parse_duration("999999999999999999d"), ValueError);
}

TEST_CASE("durations print back in the syntax they are read in") {
  using dp::config::format_duration;
  using dp::config::parse_duration;
  CHECK(format_duration(0ms) == "0s");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(90min) == "1h30m");
  CHECK(format_duration(90500ms) == "1m30s500ms");
  for (const std::chrono::milliseconds value : {1ms, 1001ms, 3600000ms, 86401000ms}) {
    CHECK(parse_duration(format_duration(value)) == value);
  }
}

TEST_CASE("byte sizes take binary and decimal units") {
  using dp::config::format_byte_size;
  using dp::config::parse_byte_size;
  CHECK(parse_byte_size("1048576") == 1048576);
  CHECK(parse_byte_size("16MiB") == 16u * 1024 * 1024);
  CHECK(parse_byte_size("16 mib") == 16u * 1024 * 1024);
  CHECK(parse_byte_size("512KiB") == 512u * 1024);
  CHECK(parse_byte_size("1GiB") == 1024u * 1024 * 1024);
  CHECK(parse_byte_size("2MB") == 2000000u);
  CHECK(parse_byte_size("7B") == 7u);
  for (const char* text : {"", "MiB", "1.5MiB", "-1", "12 parsecs", "99999999999GiB"}) {
    CHECK_THROWS_AS_MESSAGE(parse_byte_size(text), ValueError, text);
  }
  CHECK(format_byte_size(16u * 1024 * 1024) == "16MiB");
  CHECK(format_byte_size(1536) == "1536");
  CHECK(format_byte_size(0) == "0");
}
