// Records cut at every possible place by tiny reads must come out exactly as when the whole
// input is in one buffer: this is what the buffer's carrying of partial records is for.
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

const std::vector<std::string> kFixtures = {
    "crlf_bom.csv",           "quoted_newline.csv", "doubled_quotes.csv", "invalid_utf8.csv",
    "unterminated_quote.csv", "blank_lines.csv",    "lone_cr.csv",        "no_trailing_newline.csv",
    "nul_byte.csv",           "empty.csv",          "bom_only.csv",       "lenient_quotes.csv",
    "empty_fields.csv",
};

const std::vector<std::size_t> kReadSizes = {1, 2, 3, 4, 5, 7, 13, 64};

void check_same(const std::vector<ReadItem>& actual, const std::vector<ReadItem>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("item " << i << ": got " << test::describe_for_test(actual[i]) << ", want "
                 << test::describe_for_test(expected[i]));
    CHECK(actual[i] == expected[i]);
  }
}

TEST_CASE("every fixture reads the same whatever the read size") {
  for (const auto& name : kFixtures) {
    CAPTURE(name);
    const std::string bytes = test::slurp_for_test(test::fixture_for_test(name));
    const auto whole = test::read_string_for_test(bytes);
    for (const std::size_t size : kReadSizes) {
      CAPTURE(size);
      CsvReaderOptions small_chunks;
      small_chunks.read_chunk_bytes = size;
      check_same(test::read_string_for_test(bytes, small_chunks), whole);
      check_same(test::read_all_for_test(std::make_unique<test::TrickleSource>(
                     std::make_unique<MemorySource>(bytes), size)),
                 whole);
    }
  }
}

struct GeneratedCsv {
  std::string bytes;
  std::vector<ReadItem> expected;
};

std::string random_field(std::mt19937_64& random) {
  static const std::vector<std::string> kPieces = {
      "a", "b", "7", ",", "\"", "\n", "\r", " ", "x", "\xc3\xa9", "\xe2\x82\xac", "\r\n", "\"\""};
  std::uniform_int_distribution<int> length(0, 6);
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::string field;
  for (int i = length(random); i > 0; --i) {
    field += kPieces[pick(random)];
  }
  return field;
}

/// CSV text plus what the reader must make of it, built side by side.
GeneratedCsv generate_csv(std::uint64_t seed, int records) {
  std::mt19937_64 random(seed);
  std::bernoulli_distribution coin(0.5);
  std::bernoulli_distribution rarely(0.15);
  std::uniform_int_distribution<int> field_count(1, 5);
  GeneratedCsv out;
  std::uint64_t line = 1;
  for (int r = 0; r < records; ++r) {
    while (rarely(random)) {
      out.bytes += coin(random) ? "\n" : "\r\n";
      ++line;
    }
    ReadItem item;
    item.status = ReadStatus::kRow;
    item.line = line;
    item.byte_offset = out.bytes.size();
    const int count = field_count(random);
    for (int f = 0; f < count; ++f) {
      const std::string field = random_field(random);
      const bool special = field.find_first_of(",\"\r\n") != std::string::npos;
      const bool lone_empty = count == 1 && field.empty();
      if (f > 0) {
        item.raw += ',';
      }
      if (special || lone_empty || rarely(random)) {
        item.raw += '"';
        for (const char c : field) {
          item.raw += c;
          if (c == '"') {
            item.raw += '"';
          }
        }
        item.raw += '"';
      } else {
        item.raw += field;
      }
      item.fields.push_back(field);
    }
    for (const char c : item.raw) {
      line += c == '\n' ? 1 : 0;
    }
    ++line;
    out.bytes += item.raw;
    if (r + 1 < records || coin(random)) {
      out.bytes += coin(random) ? "\n" : "\r\n";
    }
    out.expected.push_back(std::move(item));
  }
  return out;
}

TEST_CASE("generated CSV with quotes, CR, LF and UTF-8 everywhere reads back exactly") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    const GeneratedCsv csv = generate_csv(seed, 60);
    check_same(test::read_string_for_test(csv.bytes), csv.expected);
    for (const std::size_t size : kReadSizes) {
      CAPTURE(size);
      CsvReaderOptions small_chunks;
      small_chunks.read_chunk_bytes = size;
      check_same(test::read_string_for_test(csv.bytes, small_chunks), csv.expected);
    }
    check_same(test::read_all_for_test(std::make_unique<test::TrickleSource>(
                   std::make_unique<MemorySource>(csv.bytes), 1)),
               csv.expected);
  }
}

}  // namespace
}  // namespace dp::csv
