#include "core/csv/csv_reader.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/core/csv/csv_test_support.hpp"

namespace dp::csv {
namespace {

using test::fixture_for_test;
using test::read_fixture_for_test;
using test::read_string_for_test;
using test::ReadItem;
using Fields = std::vector<std::string>;

void check_row(const ReadItem& item, const Fields& fields, std::uint64_t line,
               std::uint64_t offset) {
  INFO(test::describe_for_test(item));
  REQUIRE(item.status == ReadStatus::kRow);
  CHECK(item.fields == fields);
  CHECK(item.line == line);
  CHECK(item.byte_offset == offset);
}

void check_error(const ReadItem& item, RowErrorKind kind, std::uint64_t line,
                 std::uint64_t offset) {
  INFO(test::describe_for_test(item));
  REQUIRE(item.status == ReadStatus::kError);
  CHECK(item.error.kind == kind);
  CHECK(item.error.line == line);
  CHECK(item.error.byte_offset == offset);
  CHECK(item.error.column.empty());
}

TEST_CASE("crlf_bom.csv: the BOM is dropped, CRLF ends records, offsets count the BOM") {
  const auto items = read_fixture_for_test("crlf_bom.csv");
  REQUIRE(items.size() == 4);
  check_row(items[0], {"id", "name", "city"}, 1, 3);
  check_row(items[1], {"1", "alice", "Berlin"}, 2, 17);
  check_row(items[2], {"2", "bob, jr.", "Paris"}, 3, 33);
  check_row(items[3], {"3", "carol", ""}, 4, 53);
  CHECK(items[1].raw == "1,alice,Berlin");
  CHECK(items[2].raw == "2,\"bob, jr.\",Paris");
}

TEST_CASE("quoted_newline.csv: LF and CRLF inside quotes are data and lines are counted") {
  const auto items = read_fixture_for_test("quoted_newline.csv");
  REQUIRE(items.size() == 6);
  check_row(items[0], {"id", "comment", "score"}, 1, 0);
  check_row(items[1], {"1", "first line\nsecond line", "10"}, 2, 17);
  check_row(items[2], {"2", "crlf inside\r\nquotes", "20"}, 4, 47);
  check_row(items[3], {"3", "plain", "30"}, 6, 74);
  check_row(items[4], {"4", "three\n\nlines", "40"}, 7, 85);
  check_row(items[5], {"5", "last", "50"}, 10, 105);
  CHECK(items[1].raw == "1,\"first line\nsecond line\",10");
}

TEST_CASE("doubled_quotes.csv: a doubled quote inside quotes is one quote") {
  const auto items = read_fixture_for_test("doubled_quotes.csv");
  REQUIRE(items.size() == 6);
  CHECK(items[1].fields == Fields{"1", "she said \"hi\""});
  CHECK(items[2].fields == Fields{"2", "\""});
  CHECK(items[3].fields == Fields{"3", ""});
  CHECK(items[4].fields == Fields{"4", "a \"b\" c"});
  CHECK(items[5].fields == Fields{"5", "\"start"});
}

TEST_CASE("invalid_utf8.csv: each bad record is an error with its position, reading goes on") {
  const auto items = read_fixture_for_test("invalid_utf8.csv");
  REQUIRE(items.size() == 8);
  check_row(items[0], {"id", "name"}, 1, 0);
  check_row(items[1], {"1", "ok"}, 2, 8);
  check_error(items[2], RowErrorKind::kInvalidUtf8, 3, 13);
  CHECK(items[2].error.message == "line 3: invalid UTF-8 at byte 7 of the record");
  CHECK(items[2].error.raw_line == "2,bad \xff byte");
  check_error(items[3], RowErrorKind::kInvalidUtf8, 4, 26);
  CHECK(items[3].error.message == "line 4: invalid UTF-8 at byte 12 of the record");
  check_row(items[4], {"4", "caf\xc3\xa9"}, 5, 46);
  check_error(items[5], RowErrorKind::kInvalidUtf8, 6, 54);
  CHECK(items[5].error.message == "line 6: invalid UTF-8 at byte 13 of the record");
  check_error(items[6], RowErrorKind::kInvalidUtf8, 7, 75);
  CHECK(items[6].error.message == "line 7: invalid UTF-8 at byte 13 of the record");
  check_row(items[7], {"7", "fine"}, 8, 90);
}

TEST_CASE("nul_byte.csv: a NUL byte rejects the record (PostgreSQL text cannot hold it)") {
  const auto items = read_fixture_for_test("nul_byte.csv");
  REQUIRE(items.size() == 3);
  check_error(items[1], RowErrorKind::kInvalidUtf8, 2, 5);
  CHECK(items[1].error.message ==
        "line 2: NUL byte (not storable as text) at byte 6 of the record");
  check_row(items[2], {"2", "ok"}, 3, 16);
}

TEST_CASE("unterminated_quote.csv: a quote open at the end of input is one error, then the end") {
  const auto items = read_fixture_for_test("unterminated_quote.csv");
  REQUIRE(items.size() == 3);
  check_row(items[1], {"1", "fine"}, 2, 8);
  check_error(items[2], RowErrorKind::kUnterminatedQuote, 3, 15);
  CHECK(items[2].error.raw_line == "2,\"never closed\n3,swallowed\n4,also swallowed\n");
  CHECK(items[2].error.message.rfind("line 3: ", 0) == 0);
}

TEST_CASE("blank_lines.csv: blank lines (LF or CRLF) are skipped but counted") {
  const auto items = read_fixture_for_test("blank_lines.csv");
  REQUIRE(items.size() == 3);
  check_row(items[0], {"id", "v"}, 3, 2);
  check_row(items[1], {"1", "a"}, 4, 7);
  check_row(items[2], {"2", "b"}, 7, 14);
}

TEST_CASE("lone_cr.csv: a CR not followed by LF is data") {
  const auto items = read_fixture_for_test("lone_cr.csv");
  REQUIRE(items.size() == 3);
  check_row(items[1], {"1", "a\rb"}, 2, 5);
  check_row(items[2], {"2", "end\r"}, 3, 11);
}

TEST_CASE("no_trailing_newline.csv: the last record needs no terminator") {
  const auto items = read_fixture_for_test("no_trailing_newline.csv");
  REQUIRE(items.size() == 3);
  check_row(items[2], {"2", "b"}, 3, 9);
  CHECK(items[2].raw == "2,b");
}

TEST_CASE("semicolon_single_quote.csv: delimiter and quote are configurable") {
  CsvReaderOptions options;
  options.delimiter = ';';
  options.quote = '\'';
  const auto items = read_fixture_for_test("semicolon_single_quote.csv", options);
  REQUIRE(items.size() == 4);
  CHECK(items[0].fields == Fields{"id", "text", "n"});
  CHECK(items[1].fields == Fields{"1", "semi;colon", "2"});
  CHECK(items[2].fields == Fields{"2", "it's", "3"});
  CHECK(items[3].fields == Fields{"3", "\"not a quote\"", "4"});
}

TEST_CASE("lenient_quotes.csv: stray quotes are data, text after a closing quote is kept") {
  const auto items = read_fixture_for_test("lenient_quotes.csv");
  REQUIRE(items.size() == 4);
  CHECK(items[1].fields == Fields{"1", "ab\"c"});
  CHECK(items[2].fields == Fields{"2", "abc"});
  CHECK(items[3].fields == Fields{"3", "x  ", "y"});
}

TEST_CASE("empty_fields.csv: empty fields, quoted or not, are kept") {
  const auto items = read_fixture_for_test("empty_fields.csv");
  REQUIRE(items.size() == 3);
  CHECK(items[0].fields == Fields{"a", "", "c", ""});
  CHECK(items[1].fields == Fields{"", ""});
  CHECK(items[2].fields == Fields{"", ""});
}

TEST_CASE("empty.csv and bom_only.csv hold no records") {
  CHECK(read_fixture_for_test("empty.csv").empty());
  CHECK(read_fixture_for_test("bom_only.csv").empty());
}

TEST_CASE("a BOM is only dropped at the very start") {
  const auto items = read_string_for_test(
      "a\n\xef\xbb\xbf"
      "b\n");
  REQUIRE(items.size() == 2);
  CHECK(items[1].fields == Fields{"\xef\xbb\xbf"
                                  "b"});
}

TEST_CASE("a complete record longer than max_record_bytes is rejected and reading goes on") {
  CsvReaderOptions options;
  options.max_record_bytes = 8;
  const auto items = read_string_for_test("a,b\n123456789\n12345678\n\"12\"\"34\"\r\n", options);
  REQUIRE(items.size() == 4);
  check_row(items[0], {"a", "b"}, 1, 0);
  check_error(items[1], RowErrorKind::kLineTooLong, 2, 4);
  CHECK(items[1].error.message == "line 2: record of 9 bytes exceeds the limit of 8 bytes");
  check_row(items[2], {"12345678"}, 3, 14);
  // Exactly at the limit once the CRLF terminator is removed.
  check_row(items[3], {"12\"34"}, 4, 23);
}

TEST_CASE("read_header returns the first record as owned strings") {
  CsvReader reader(std::make_unique<MemorySource>("\xef\xbb\xbfuser_id,\"source id\"\n1,2\n"));
  const auto header = reader.read_header();
  REQUIRE(header.has_value());
  CHECK(*header == Fields{"user_id", "source id"});
  CsvRow row;
  RowError error;
  REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  CHECK(row.line == 2);
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
}

TEST_CASE("read_header gives nullopt for an empty input and for a bad first record") {
  CsvReader empty(std::make_unique<MemorySource>(""));
  CHECK_FALSE(empty.read_header().has_value());
  CsvReader bad(std::make_unique<MemorySource>("a,\xff\n1,2\n"));
  RowError error;
  CHECK_FALSE(bad.read_header(&error).has_value());
  CHECK(error.kind == RowErrorKind::kInvalidUtf8);
  CHECK(error.line == 1);
}

TEST_CASE("row views stay valid until the next call and raw excludes the terminator") {
  CsvReader reader(std::make_unique<MemorySource>("x,\"q\"\"q\"\r\ny,z\r\n"));
  CsvRow row;
  RowError error;
  REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  CHECK(row.raw == "x,\"q\"\"q\"");
  REQUIRE(row.fields.size() == 2);
  CHECK(row.fields[0] == "x");
  CHECK(row.fields[1] == "q\"q");
  REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  CHECK(row.raw == "y,z");
  CHECK(row.byte_offset == 10);
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
}

TEST_CASE("progress: bytes_consumed reaches total_bytes at the end") {
  const std::string path = fixture_for_test("quoted_newline.csv");
  CsvReader reader(open_input(path));
  CHECK(reader.total_bytes() == test::slurp_for_test(path).size());
  CHECK(reader.bytes_consumed() == 0);
  CsvRow row;
  RowError error;
  while (reader.next(row, error) != ReadStatus::kEnd) {
  }
  CHECK(reader.bytes_consumed() == reader.total_bytes());
}

TEST_CASE("options where delimiter and quote clash are refused") {
  CsvReaderOptions same;
  same.delimiter = '"';
  CHECK_THROWS_AS(CsvReader(std::make_unique<MemorySource>(""), same), std::invalid_argument);
  CsvReaderOptions newline;
  newline.delimiter = '\n';
  CHECK_THROWS_AS(CsvReader(std::make_unique<MemorySource>(""), newline), std::invalid_argument);
}

}  // namespace
}  // namespace dp::csv
