// Records around max_record_bytes, cut into reads of every small size, must come out as the
// same rows and the same errors (kind, line, offset) as with the whole input in one read: the
// property the csv_reader fuzz target checks (tests/fuzz), here on inputs built to sit on the
// limit. An over-long record's message and excerpt may differ (the reader words it by how much
// of the record it held), so they are not compared.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "tests/core/csv/csv_test_support.hpp"

namespace dp::csv {
namespace {

using test::ReadItem;

constexpr std::size_t kLimit = 8;

/// Records of 0 to 2 * kLimit bytes, some quoted (with doubled quotes and line breaks inside),
/// with LF or CRLF, so that many sit just under, on and just over the limit.
std::string records_around_the_limit(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::size_t> length(0, 2 * kLimit);
  std::uniform_int_distribution<int> kind(0, 9);
  std::string text;
  for (int record = 0; record < 40; ++record) {
    const std::size_t size = length(random);
    const int shape = kind(random);
    std::string body;
    for (std::size_t i = 0; i < size; ++i) {
      body += static_cast<char>('a' + (i % 26));
      if (shape == 1 && i % 3 == 2) {
        body += ',';
      }
    }
    if (shape == 2) {
      text += "\"" + body + "\"\"x\"";
    } else if (shape == 3) {
      text += "\"" + body + "\n" + body + "\"";
    } else {
      text += body;
    }
    text += kind(random) < 3 ? "\r\n" : "\n";
  }
  return text;
}

/// What must not depend on read sizes: status, position, fields and the kind of error.
bool same_outcome(const ReadItem& a, const ReadItem& b) {
  return a.status == b.status && a.line == b.line && a.byte_offset == b.byte_offset &&
         a.fields == b.fields && a.raw == b.raw && a.error.kind == b.error.kind;
}

TEST_CASE("records around max_record_bytes read the same whatever the read size") {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    CAPTURE(seed);
    const std::string bytes = records_around_the_limit(seed);
    CsvReaderOptions whole;
    whole.max_record_bytes = kLimit;
    const auto expected = test::read_string_for_test(bytes, whole);
    // The input reaches the limit: an over-long record is skipped, or a quote still open at
    // the limit ends the reading (docs/file-kinds.md, broken quoting).
    bool reached_the_limit = false;
    for (const auto& item : expected) {
      reached_the_limit =
          reached_the_limit || (item.status == ReadStatus::kError &&
                                (item.error.kind == RowErrorKind::kLineTooLong ||
                                 item.error.kind == RowErrorKind::kUnterminatedQuote));
    }
    CHECK(reached_the_limit);
    for (std::size_t size = 1; size <= 13; ++size) {
      CAPTURE(size);
      CsvReaderOptions small = whole;
      small.read_chunk_bytes = size;
      const auto actual = test::read_string_for_test(bytes, small);
      REQUIRE(actual.size() == expected.size());
      for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("item " << i << ": got " << test::describe_for_test(actual[i]) << ", want "
                     << test::describe_for_test(expected[i]));
        CHECK(same_outcome(actual[i], expected[i]));
      }
    }
  }
}

}  // namespace
}  // namespace dp::csv
