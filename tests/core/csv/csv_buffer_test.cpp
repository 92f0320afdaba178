#include "core/csv/csv_buffer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace dp::csv {
namespace {

std::string_view unconsumed(const CsvBuffer& buffer) {
  return {buffer.begin(), buffer.size()};
}

TEST_CASE("refill carries the unconsumed bytes to the front and keeps offsets") {
  MemorySource source("0123456789abcdefghij");
  CsvBuffer buffer(source, 4, 64);
  REQUIRE(buffer.refill());
  CHECK(unconsumed(buffer) == "01234567");  // first read fills two chunks
  buffer.consume_to(buffer.begin() + 6);
  CHECK(buffer.offset_of(buffer.begin()) == 6);
  REQUIRE(buffer.refill());
  CHECK(unconsumed(buffer).substr(0, 2) == "67");
  CHECK(buffer.offset_of(buffer.begin()) == 6);
  CHECK(unconsumed(buffer) == "67" + std::string("89abcdef").substr(0, buffer.size() - 2));
  buffer.consume_all();
  while (buffer.refill()) {
    buffer.consume_to(buffer.end());
  }
  CHECK(buffer.at_end_of_input());
  CHECK(buffer.offset_of(buffer.end()) == 20);
  CHECK_FALSE(buffer.refill());
}

TEST_CASE("a carried record grows the buffer up to its limit, and no further") {
  const std::string text(1000, 'r');
  MemorySource source(text);
  CsvBuffer buffer(source, 16, 100);
  while (buffer.size() < 100 && buffer.refill()) {
  }
  CHECK(buffer.size() == 100);
  CHECK(buffer.capacity() == 100);
  CHECK(unconsumed(buffer) == text.substr(0, 100));
  CHECK_THROWS_AS(buffer.refill(), std::length_error);
  buffer.consume_to(buffer.begin() + 50);
  REQUIRE(buffer.refill());
  CHECK(buffer.capacity() == 100);
  CHECK(buffer.offset_of(buffer.begin()) == 50);
}

TEST_CASE("an empty source ends at the first refill") {
  MemorySource source("");
  CsvBuffer buffer(source, 256, 1024);
  CHECK_FALSE(buffer.refill());
  CHECK(buffer.size() == 0);
  CHECK(buffer.at_end_of_input());
}

}  // namespace
}  // namespace dp::csv
