#include "core/ingest/record_splitter.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <string>

#include "tests/core/ingest/ingest_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using dp::ingest::count_line_feeds;
using dp::ingest::FilePart;
using dp::ingest::split_at_line_feeds;

namespace {

std::vector<FilePart> split_text(const std::string& text, std::size_t parts) {
  dp::test::TempDir dir;
  const auto path = dir.path() / "input.csv";
  dp::test::write_text(path, text);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto result = split_at_line_feeds(fd, text.size(), parts);
  ::close(fd);
  return result;
}

/// Every part starts right after a line feed (or at 0), the parts tile the file, and each
/// part's first line is one more than the line feeds before it.
void check_parts(const std::string& text, const std::vector<FilePart>& parts) {
  REQUIRE_FALSE(parts.empty());
  CHECK(parts.front().begin == 0);
  CHECK(parts.front().first_line == 1);
  CHECK(parts.back().end == text.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    CHECK(parts[i].begin < parts[i].end);
    if (i > 0) {
      CHECK(parts[i].begin == parts[i - 1].end);
      CHECK(text[parts[i].begin - 1] == '\n');
      const auto before = std::count(text.begin(), text.begin() + parts[i].begin, '\n');
      CHECK(parts[i].first_line == static_cast<std::uint64_t>(before) + 1);
    }
  }
}

}  // namespace

TEST_CASE("a file is cut right after line feeds into parts of about equal size") {
  std::string text = "id,name,born\n";
  for (int i = 0; i < 10000; ++i) {
    text += std::to_string(i) + ",name" + std::to_string(i % 97) + ",2000-01-01\n";
  }
  for (std::size_t wanted : {2U, 3U, 7U}) {
    const auto parts = split_text(text, wanted);
    CHECK(parts.size() == wanted);
    check_parts(text, parts);
    for (const auto& part : parts) {
      CHECK(part.end - part.begin < text.size() / wanted + 64);
    }
  }
}

TEST_CASE("fewer line feeds than parts give fewer parts, none at all one part") {
  CHECK(split_text("a,b,c", 2).size() == 1);
  CHECK(split_text("a,b,c\n", 2).size() == 1);
  const auto two = split_text("a,b\nc,d\n", 4);
  check_parts("a,b\nc,d\n", two);
  CHECK(two.size() == 2);
  CHECK(split_text("", 3).size() == 1);
  CHECK(split_text("x\ny\n", 1).size() == 1);
}

TEST_CASE("no part starts with the bytes of a UTF-8 BOM") {
  // Line 2 starts with a BOM right where the cut would fall: the cut moves to the next line.
  const std::string text =
      "aaaaaaa\n\xEF\xBB\xBF"
      "bbbb\ncccccccc\n";
  const auto parts = split_text(text, 2);
  check_parts(text, parts);
  REQUIRE(parts.size() == 2);
  CHECK(parts[1].begin == text.find("ccc"));
  CHECK(parts[1].first_line == 3);
}

TEST_CASE("line feeds are counted 16 bytes at a time as a byte loop counts them") {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(random() % 300, '\0');
    for (auto& byte : bytes) {
      const auto pick = random() % 4;
      byte = pick == 0 ? '\n' : static_cast<char>(random() % 256);
    }
    CHECK(count_line_feeds(bytes) ==
          static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n')));
  }
}
