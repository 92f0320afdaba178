#include "core/table/copy_row_writer.hpp"

#include <doctest/doctest.h>

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using dp::table::CopyRowWriter;
using dp::table::Decimal;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int value : values) {
    out += static_cast<char>(value);
  }
  return out;
}

/// The bytes of one field of a one-field row written by `put`.
template <typename Put>
std::string field_bytes(Put put) {
  CopyRowWriter writer;
  writer.begin_row(1);
  put(writer);
  writer.end_row();
  const std::string_view all = writer.complete_bytes();
  REQUIRE(all.size() >= 2);
  CHECK(all.substr(0, 2) == bytes({0, 1}));
  return std::string(all.substr(2));
}

std::string numeric_bytes(bool negative, std::string digits, int scale) {
  return field_bytes([&](CopyRowWriter& w) { w.put_numeric(Decimal{negative, digits, scale}); });
}

}  // namespace

TEST_CASE("the stream header and trailer are PostgreSQL's binary COPY framing") {
  const std::string_view header = CopyRowWriter::stream_header();
  CHECK(header.size() == 19);
  CHECK(header == std::string_view("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19));
  CHECK(CopyRowWriter::stream_trailer() == bytes({0xFF, 0xFF}));
}

TEST_CASE("fixed-width values are length-prefixed network-order bytes") {
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_null(); }) == bytes({0xFF, 0xFF, 0xFF, 0xFF}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_int32(-2); }) ==
        bytes({0, 0, 0, 4, 0xFF, 0xFF, 0xFF, 0xFE}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_int64(0x0102030405060708); }) ==
        bytes({0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_bool(true); }) == bytes({0, 0, 0, 1, 1}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_bool(false); }) == bytes({0, 0, 0, 1, 0}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_date(-1); }) ==
        bytes({0, 0, 0, 4, 0xFF, 0xFF, 0xFF, 0xFF}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_timestamp(1'000'000); }) ==
        bytes({0, 0, 0, 8, 0, 0, 0, 0, 0, 0x0F, 0x42, 0x40}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_text("hé"); }) ==
        bytes({0, 0, 0, 3, 'h', 0xC3, 0xA9}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_text(""); }) == bytes({0, 0, 0, 0}));
}

TEST_CASE("numeric values are base-10000 digit groups with weight, sign and display scale") {
  // ndigits, weight, sign, dscale, digits...
  CHECK(numeric_bytes(false, "5", 2) ==  // 0.05
        bytes({0, 0, 0, 10, 0, 1, 0xFF, 0xFF, 0, 0, 0, 2, 0x01, 0xF4}));
  CHECK(numeric_bytes(true, "123456789", 2) ==  // -1234567.89 = 123 4567 . 8900
        bytes({0, 0, 0, 14, 0, 3, 0, 1, 0x40, 0, 0, 2, 0, 123, 0x11, 0xD7, 0x22, 0xC4}));
  CHECK(numeric_bytes(false, "10000", 0) ==  // 1 0000: trailing zero group dropped
        bytes({0, 0, 0, 10, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1}));
  CHECK(numeric_bytes(false, "0", 0) == bytes({0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(numeric_bytes(true, "0", 2) ==  // zero is never negative; dscale kept
        bytes({0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 2}));
  CHECK(numeric_bytes(false, "1250", 2) ==  // 12.50
        bytes({0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88}));
  CHECK(numeric_bytes(false, "5", 6) ==  // 0.000005: leading zero group dropped
        bytes({0, 0, 0, 10, 0, 1, 0xFF, 0xFE, 0, 0, 0, 6, 0x01, 0xF4}));
  CHECK(numeric_bytes(false, "100000001", 0) ==  // 1 0000 0001
        bytes({0, 0, 0, 14, 0, 3, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}));
  CHECK(numeric_bytes(false, "1", 4) ==  // 0.0001
        bytes({0, 0, 0, 10, 0, 1, 0xFF, 0xFF, 0, 0, 0, 4, 0, 1}));
  CHECK(numeric_bytes(false, "100000000", 4) ==  // 10000.0000
        bytes({0, 0, 0, 10, 0, 1, 0, 1, 0, 0, 0, 4, 0, 1}));
}

TEST_CASE("text[] is a one-dimensional array of text with lower bound 1") {
  const std::array<std::string_view, 2> elements{"a", "日"};
  CHECK(field_bytes([&](CopyRowWriter& w) { w.put_text_array(elements); }) ==
        bytes({0, 0, 0, 32,                                   // field length
               0, 0, 0, 1,  0,    0,    0,   0, 0, 0, 0, 25,  // ndim, no NULLs, element type text
               0, 0, 0, 2,  0,    0,    0,   1,               // dimension: 2 elements from 1
               0, 0, 0, 1,  'a',                              //
               0, 0, 0, 3,  0xE6, 0x97, 0xA5}));
  CHECK(field_bytes([](CopyRowWriter& w) { w.put_text_array({}); }) ==
        bytes({0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25}));
}

TEST_CASE("only complete rows are visible, and abandon_row drops a partial one") {
  CopyRowWriter writer;
  writer.begin_row(2);
  writer.put_int32(1);
  writer.put_int32(2);
  writer.end_row();
  const std::string first(writer.complete_bytes());
  CHECK(first.size() == 2 + 2 * 8);

  writer.begin_row(3);
  writer.put_int32(3);
  writer.put_text("partial");
  CHECK(writer.complete_bytes() == first);
  writer.abandon_row();
  CHECK(writer.complete_bytes() == first);
  CHECK(writer.rows() == 1);

  writer.begin_row(1);
  writer.put_null();
  CHECK(writer.complete_bytes() == first);
  writer.consume_complete();  // the partial row survives
  CHECK(writer.complete_bytes().empty());
  writer.end_row();
  CHECK(writer.complete_bytes() == bytes({0, 1, 0xFF, 0xFF, 0xFF, 0xFF}));
  CHECK(writer.rows() == 2);
}

TEST_CASE("a row with a different number of fields than announced is a programming error") {
  CopyRowWriter writer;
  writer.begin_row(2);
  writer.put_int32(1);
  CHECK_THROWS_AS(writer.end_row(), std::logic_error);
  CHECK(writer.complete_bytes().empty());
  CHECK(writer.rows() == 0);
  writer.begin_row(1);
  CHECK_THROWS_AS(writer.begin_row(1), std::logic_error);
}
