// Hostile input: huge records, quotes that never close, binary garbage. The reader must keep
// its memory bounded and report the record; it goes on after a bad record, and stops after an
// unterminated quote (no later record boundary can be trusted).
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "core/csv/csv_reader.hpp"
#include "tests/core/csv/csv_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::csv {
namespace {

constexpr std::size_t kFiftyMegabytes = 50U * 1024U * 1024U;
constexpr std::size_t kSmallLimit = 1024U * 1024U;

TEST_CASE("a 50 MB single line with a 1 MiB limit: kLineTooLong, bounded memory, reading goes on") {
  dp::test::TempDir dir;
  const auto path = dir.path() / "fifty_megabyte_line.csv";
  std::string bytes = "id,payload\n1,short\n2,";
  bytes.append(kFiftyMegabytes, 'x');
  bytes += "\n3,after\n";
  test::write_file_for_test(path, bytes);
  bytes.clear();
  bytes.shrink_to_fit();

  CsvReaderOptions options;
  options.max_record_bytes = kSmallLimit;
  CsvReader reader(open_input(path.string()), options);
  CsvRow row;
  RowError error;
  std::size_t largest_buffer = 0;
  REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  CHECK(row.line == 2);
  REQUIRE(reader.next(row, error) == ReadStatus::kError);
  largest_buffer = std::max(largest_buffer, reader.buffer_capacity_for_test());
  CHECK(error.kind == RowErrorKind::kLineTooLong);
  CHECK(error.line == 3);
  CHECK(error.byte_offset == 19);
  CHECK(error.raw_line.size() == 1024);
  CHECK(error.raw_line.rfind("2,xxxx", 0) == 0);
  CHECK(error.message == "line 3: record of " + std::to_string(kFiftyMegabytes + 2) +
                             " bytes exceeds the limit of 1048576 bytes; it was skipped");
  REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  CHECK(row.line == 4);
  CHECK(row.byte_offset == 19 + kFiftyMegabytes + 3);
  REQUIRE(row.fields.size() == 2);
  CHECK(row.fields[1] == "after");
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
  largest_buffer = std::max(largest_buffer, reader.buffer_capacity_for_test());
  CHECK(largest_buffer <= kSmallLimit + 1 + 2 * options.read_chunk_bytes);
}

TEST_CASE(
    "a quoted field still open after max_record_bytes: one kUnterminatedQuote, then the end") {
  // Whether this quote would ever close cannot be known without holding the whole rest of the
  // input, and if it does not, every later record boundary is wrong: the reader stops here and
  // the loader fails the file (it used to skip it as an over-long record and read on).
  std::string bytes = "a\n\"";
  for (int i = 0; i < 2000; ++i) {
    bytes += std::string(1000, 'q') + "\n";
  }
  bytes += "\"\nnext\n";
  CsvReaderOptions options;
  options.max_record_bytes = 64 * 1024;
  options.read_chunk_bytes = 4096;
  const auto items = test::read_string_for_test(bytes, options);
  REQUIRE(items.size() == 2);
  CHECK(items[1].status == ReadStatus::kError);
  CHECK(items[1].error.kind == RowErrorKind::kUnterminatedQuote);
  CHECK(items[1].error.line == 2);
  CHECK(items[1].error.message.find("never closed within max_record_bytes") != std::string::npos);
}

TEST_CASE("a quote that never closes in a large file: one kUnterminatedQuote, then the end") {
  std::string bytes = "id,v\n1,ok\n2,\"oops\n";
  for (int i = 0; i < 100000; ++i) {
    bytes += "3,swallowed row\n";
  }
  CsvReaderOptions options;
  options.max_record_bytes = 100 * 1024;
  const auto items = test::read_string_for_test(bytes, options);
  REQUIRE(items.size() == 3);
  CHECK(items[2].status == ReadStatus::kError);
  CHECK(items[2].error.kind == RowErrorKind::kUnterminatedQuote);
  CHECK(items[2].error.line == 3);
  CHECK(items[2].error.byte_offset == 10);
  CHECK(items[2].error.message.find("never closed within max_record_bytes") != std::string::npos);
}

// The stray quote of issue 12: header, rows 1-49, `50,...,"oops`, rows 51-100000. Every byte
// after the quote is one field, so the reader names where it opened and what it swallowed,
// then stops: no later record boundary can be trusted.
std::string stray_quote_traffic_for_test() {
  std::string bytes = "user_id,source_id,referred_at,campaign_code\n";
  for (int id = 1; id <= 100000; ++id) {
    bytes += std::to_string(id) + ",1,2024-07-30T23:27:05Z," + (id == 50 ? "\"oops" : "c1") + "\n";
  }
  return bytes;
}

TEST_CASE("a stray quote at line 51 of 100001: rows 1-49, one error naming line 51, then the end") {
  CsvReader reader(std::make_unique<MemorySource>(stray_quote_traffic_for_test()));
  CsvRow row;
  RowError error;
  REQUIRE(reader.read_header());
  for (int id = 1; id <= 49; ++id) {
    REQUIRE(reader.next(row, error) == ReadStatus::kRow);
    CHECK(row.line == static_cast<std::uint64_t>(id + 1));
  }
  REQUIRE(reader.next(row, error) == ReadStatus::kError);
  CHECK(error.kind == RowErrorKind::kUnterminatedQuote);
  CHECK(error.line == 51);
  CHECK(error.message.rfind("line 51: ", 0) == 0);
  CHECK(error.message.find("swallowed 99951 lines (lines 51-100001)") != std::string::npos);
  CHECK(reader.broken());
  CHECK(reader.next_line() == 100002);
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
}

TEST_CASE("a stray quote that outgrows max_record_bytes stops the reader at once") {
  CsvReaderOptions options;
  options.max_record_bytes = 64 * 1024;
  options.read_chunk_bytes = 4096;
  CsvReader reader(std::make_unique<MemorySource>(stray_quote_traffic_for_test()), options);
  CsvRow row;
  RowError error;
  REQUIRE(reader.read_header());
  for (int id = 1; id <= 49; ++id) {
    REQUIRE(reader.next(row, error) == ReadStatus::kRow);
  }
  REQUIRE(reader.next(row, error) == ReadStatus::kError);
  CHECK(error.kind == RowErrorKind::kUnterminatedQuote);
  CHECK(error.line == 51);
  CHECK(error.message.find("never closed within max_record_bytes") != std::string::npos);
  CHECK(reader.broken());
  CHECK(reader.next(row, error) == ReadStatus::kEnd);
  // It stopped near the limit instead of reading the remaining 3 MB.
  CHECK(reader.bytes_consumed() < 256 * 1024);
}

TEST_CASE("raw_line of a reject is cut at 1 KiB without splitting a UTF-8 character") {
  std::string record = "12,";
  for (int i = 0; i < 600; ++i) {
    record += "\xc3\xa9";  // 2 bytes each: byte 1024 falls inside one
  }
  record += "\xff\n";
  const auto items = test::read_string_for_test(record);
  REQUIRE(items.size() == 1);
  CHECK(items[0].error.kind == RowErrorKind::kInvalidUtf8);
  CHECK(items[0].error.raw_line.size() == 1023);
  CHECK(items[0].error.raw_line.back() == '\xa9');
}

TEST_CASE("binary garbage does not crash: every call returns a row, an error or the end") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string garbage(256 * 1024, '\0');
    for (char& c : garbage) {
      c = static_cast<char>(byte(random));
    }
    CsvReaderOptions options;
    options.max_record_bytes = 4096;
    options.read_chunk_bytes = 1000 + seed;
    CsvReader reader(std::make_unique<MemorySource>(garbage), options);
    CsvRow row;
    RowError error;
    std::size_t calls = 0;
    ReadStatus status = ReadStatus::kRow;
    while ((status = reader.next(row, error)) != ReadStatus::kEnd) {
      ++calls;
      if (status == ReadStatus::kRow) {
        CHECK(row.raw.size() <= options.max_record_bytes);
      } else {
        CHECK(error.line >= 1);
        CHECK(!error.message.empty());
      }
      REQUIRE(calls < garbage.size());
    }
    CHECK(calls > 0);
    CHECK(reader.bytes_consumed() == garbage.size());
  }
}

TEST_CASE("binary garbage that starts like gzip fails the file with an InputError") {
  dp::test::TempDir dir;
  const auto path = dir.path() / "garbage_with_gzip_magic.csv";
  test::write_file_for_test(path, std::string("\x1f\x8b\x08\x00garbage, not deflate", 24));
  CsvReader reader(open_input(path.string()));
  CsvRow row;
  RowError error;
  CHECK_THROWS_AS(reader.next(row, error), InputError);
}

}  // namespace
}  // namespace dp::csv
