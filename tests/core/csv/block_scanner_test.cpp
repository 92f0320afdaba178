#include "core/csv/block_scanner.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

namespace dp::csv {
namespace {

void check_same(const BlockMasks& actual, const BlockMasks& expected) {
  CHECK(actual.delimiter == expected.delimiter);
  CHECK(actual.quote == expected.quote);
  CHECK(actual.line_feed == expected.line_feed);
  CHECK(actual.suspect == expected.suspect);
}

/// The masks computed one byte at a time: the definition both fast forms must meet.
BlockMasks reference_masks(const std::string& block, char delimiter, char quote) {
  BlockMasks masks;
  for (std::uint32_t i = 0; i < 16; ++i) {
    const auto byte = static_cast<unsigned char>(block[i]);
    masks.delimiter |= (block[i] == delimiter ? 1U : 0U) << i;
    masks.quote |= (block[i] == quote ? 1U : 0U) << i;
    masks.line_feed |= (block[i] == '\n' ? 1U : 0U) << i;
    masks.suspect |= (byte >= 0x80 || byte == 0 ? 1U : 0U) << i;
  }
  return masks;
}

TEST_CASE("a known block: each mask bit stands for its byte") {
  const std::string block("ab,\"c\n\xc3\xa9,x\0yz\n,q", 16);
  REQUIRE(block.size() == 16);
  BlockScanner scanner(',', '"');
  const BlockMasks masks = scanner.scan(block.data());
  CHECK(masks.delimiter == ((1U << 2) | (1U << 8) | (1U << 14)));
  CHECK(masks.quote == (1U << 3));
  CHECK(masks.line_feed == ((1U << 5) | (1U << 13)));
  CHECK(masks.suspect == ((1U << 6) | (1U << 7) | (1U << 10)));
}

TEST_CASE("SIMD and portable scans agree with the byte-by-byte definition") {
  std::mt19937_64 random(7);
  // Bias towards the interesting bytes so that every mask gets plenty of bits.
  const std::string interesting =
      std::string(",;\"'\n\r\x80\xff\x7f\x01", 10) + std::string(1, '\0');
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<std::size_t> pick(0, interesting.size() - 1);
  std::bernoulli_distribution coin(0.5);
  for (int round = 0; round < 20000; ++round) {
    std::string block(16, '\0');
    for (char& c : block) {
      c = coin(random) ? interesting[pick(random)] : static_cast<char>(any_byte(random));
    }
    const char delimiter = round % 2 == 0 ? ',' : ';';
    const char quote = round % 3 == 0 ? '\'' : '"';
    BlockScanner scanner(delimiter, quote);
    const BlockMasks expected = reference_masks(block, delimiter, quote);
    check_same(scanner.scan(block.data()), expected);
    check_same(scanner.scan_portable(block.data()), expected);
  }
}

}  // namespace
}  // namespace dp::csv
